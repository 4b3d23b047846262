package dev.vidqa.topology.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vidqa.ingest.sources.SourceStatus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** A worker's sources as meters follow what the sources report. */
class SourceMetricsTest {
    @Test
    void theStateGaugeFollowsTheSourceAndReconnectsAreCounted() {
        SimpleMeterRegistry r = new SimpleMeterRegistry();
        SourceMetrics m = new SourceMetrics(r);
        m.accept(new SourceStatus("bay-2", SourceStatus.CONNECTED, null, null, 1_700_000_000_000L, "w1", null));
        assertEquals(1.0, state(r, "bay-2", SourceStatus.CONNECTED));
        assertEquals(0.0, state(r, "bay-2", SourceStatus.RECONNECTING));
        assertEquals(1_700_000_000.0, r.find("vidqa.source.last.chunk").tag("stream", "bay-2").gauge().value());
        m.accept(new SourceStatus("bay-2", SourceStatus.RECONNECTING, "connection refused", 2.0, null, "w1", null));
        m.accept(new SourceStatus("bay-2", SourceStatus.RECONNECTING, "connection refused", 4.0, null, "w1", null));
        assertEquals(0.0, state(r, "bay-2", SourceStatus.CONNECTED));
        assertEquals(1.0, state(r, "bay-2", SourceStatus.RECONNECTING));
        assertEquals(2.0, r.find("vidqa.source.reconnects").tag("stream", "bay-2").counter().count());
        assertEquals(1_700_000_000.0, r.find("vidqa.source.last.chunk").tag("stream", "bay-2").gauge().value(),
                "a reconnect keeps the time of the last chunk");
        m.accept(new SourceStatus("bay-2", SourceStatus.FAILED, "connection refused", 8.0, null, "w1", null));
        assertEquals(1.0, state(r, "bay-2", SourceStatus.FAILED));
        assertEquals(0.0, state(r, "bay-2", SourceStatus.RECONNECTING));
        assertEquals(3.0, r.find("vidqa.source.reconnects").tag("stream", "bay-2").counter().count(),
                "a failed source's attempts are counted too");
    }

    static double state(SimpleMeterRegistry r, String stream, String state) {
        return r.find("vidqa.source.state").tag("stream", stream).tag("state", state).gauge().value();
    }
}
