package dev.vidqa.topology.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class QuestionBatcherTest {
    /** max batch 8, linger 30 ms */
    private final QuestionBatcher batcher = new QuestionBatcher(VidqaConfig.from(props()).questions());

    private static Properties props() {
        Properties p = new Properties();
        p.put("vidqa.questions.max-batch", "8");
        p.put("vidqa.questions.batch-linger-ms", "30");
        return p;
    }

    private static List<String> keys(String prefix, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(prefix + i);
        }
        return out;
    }

    @Test
    void fewerThanABatchLingerUntilTheOldestHasWaited() {
        assertNull(batcher.release(keys("q", 3), false, 1000), "3 of 8: linger");
        assertNull(batcher.release(keys("q", 5), false, 1029), "5 of 8, the oldest 29 ms: linger");
        Map<String, Long> going = batcher.release(keys("q", 5), false, 1030);
        assertEquals(keys("q", 5), List.copyOf(going.keySet()), "the oldest has waited 30 ms: all go");
        assertEquals(1000L, going.get("q0"));
        assertEquals(1029L, going.get("q4"), "ready since it was first found so");
    }

    @Test
    void ofMoreThanABatchWholeBatchesGoAndTheRestLingers() {
        Map<String, Long> going = batcher.release(keys("q", 20), false, 1000);
        assertEquals(keys("q", 16), List.copyOf(going.keySet()), "two batches of 8, in arrival order; 4 linger");
        List<String> next = new ArrayList<>(keys("q", 20).subList(16, 20));
        next.addAll(keys("r", 3));
        assertNull(batcher.release(next, false, 1010), "4 + 3 new: still less than a batch, 10 ms old");
        next.add("r3");
        Map<String, Long> second = batcher.release(next, false, 1011);
        assertEquals(next, List.copyOf(second.keySet()), "8 ready: a whole batch goes");
        assertEquals(1000L, second.get("q16"), "the lingering kept the time they were first found ready");
        assertEquals(1011L, second.get("r3"));
    }

    @Test
    void theLongestReadyGoFirstAndAfterTheLingerEveryoneGoes() {
        batcher.release(keys("old", 2), false, 1000); // 2 linger
        List<String> ready = new ArrayList<>(keys("new", 9));
        ready.addAll(keys("old", 2)); // listed last, ready longest
        Map<String, Long> going = batcher.release(ready, false, 1005);
        assertEquals(8, going.size());
        assertEquals(List.of("old0", "old1", "new0", "new1", "new2", "new3", "new4", "new5"), List.copyOf(going.keySet()));
        Map<String, Long> rest = batcher.release(keys("new", 9).subList(6, 9), false, 1035);
        assertEquals(List.of("new6", "new7", "new8"), List.copyOf(rest.keySet()), "30 ms since ready: the rest go");
    }

    @Test
    void anOverdueQuestionTakesEveryoneReadyAlong() {
        Map<String, Long> going = batcher.release(keys("q", 11), true, 1000);
        assertEquals(11, going.size(), "out of time: no one is held back for a fuller batch");
    }
}
