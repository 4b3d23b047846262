package dev.vidqa.topology.app;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ThreadFailuresTest {
    @Test
    void repeatedThreadFailuresMakeTheApplicationUnhealthyUntilTheyStop() {
        ThreadFailures f = new ThreadFailures(3, Duration.ofMinutes(10));
        long t = 1_000_000;
        f.record(new IllegalStateException("boom"), t);
        f.record(new RuntimeException(new OutOfMemoryError("Java heap space")), t + 45_000);
        assertNull(f.unhealthyReason(t + 46_000), "two failures: Kafka Streams replaced the threads");
        f.record(new RuntimeException(new OutOfMemoryError("Java heap space")), t + 90_000);
        String why = f.unhealthyReason(t + 91_000);
        assertTrue(why != null && why.contains("3 times") && why.contains("OutOfMemoryError: Java heap space"), why);
        assertNull(f.unhealthyReason(t + 90_000 + 10 * 60_000 + 1), "healthy once the window passes without failures");
    }
}
