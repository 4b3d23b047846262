package dev.vidqa.topology.app;

import dev.vidqa.ingest.sources.SourceStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An ingest worker's sources as meters: {@code vidqa_source_state{stream,state}} (1 for the state the
 * source is in, 0 for the others), {@code vidqa_source_reconnects_total{stream}} and
 * {@code vidqa_source_last_chunk_seconds{stream}} (epoch seconds of its latest chunk).
 */
public final class SourceMetrics {
    static final List<String> STATES = List.of(SourceStatus.CONNECTED, SourceStatus.RECONNECTING, SourceStatus.FAILED,
            SourceStatus.STOPPED);

    private final MeterRegistry registry;
    private final Map<String, AtomicReference<SourceStatus>> latest = new ConcurrentHashMap<>();

    public SourceMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Hears a change of a source's state. */
    public void accept(SourceStatus s) {
        latest.computeIfAbsent(s.streamId(), id -> {
            AtomicReference<SourceStatus> ref = new AtomicReference<>(s);
            for (String state : STATES) {
                Gauge.builder("vidqa.source.state", ref, r -> state.equals(r.get().state()) ? 1 : 0)
                        .description("1 for the state a source is in").tag("stream", id).tag("state", state)
                        .register(registry);
            }
            Gauge.builder("vidqa.source.last.chunk", ref, r -> r.get().lastChunkAt() == null ? Double.NaN
                            : r.get().lastChunkAt() / 1000.0).description("epoch seconds of a source's latest chunk")
                    .baseUnit("seconds").tag("stream", id).register(registry);
            return ref;
        }).updateAndGet(old -> s.lastChunkAt() == null && old.lastChunkAt() != null
                ? new SourceStatus(s.streamId(), s.state(), s.reason(), s.retryInSeconds(), old.lastChunkAt(), s.worker(),
                        s.at() == null ? Instant.now().toString() : s.at())
                : s);
        if (SourceStatus.RECONNECTING.equals(s.state()) || SourceStatus.FAILED.equals(s.state())) {
            registry.counter("vidqa.source.reconnects", "stream", s.streamId()).increment();
        }
    }
}
