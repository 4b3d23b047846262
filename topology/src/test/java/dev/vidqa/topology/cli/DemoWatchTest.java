package dev.vidqa.topology.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The demo's incident tally: an incident the scenes do not show counts against it, not only a missed one. */
class DemoWatchTest {

    @Test
    void anIncidentThatDidNotHappenIsCountedWrong() {
        assertEquals(new DemoWatch.Tally(1, 1), DemoWatch.Tally.of(List.of("6-12", "30-30"), List.of("6-12")));
        assertEquals(new DemoWatch.Tally(0, 0), DemoWatch.Tally.of(List.of(), List.of("6-12")), "missed: none right");
        assertEquals(new DemoWatch.Tally(2, 0), DemoWatch.Tally.of(List.of("6-12", "24-open"), List.of("6-12", "24-open")));
        assertEquals(new DemoWatch.Tally(0, 1), DemoWatch.Tally.of(List.of("6-18"), List.of("6-12")), "wrong end");
    }
}
