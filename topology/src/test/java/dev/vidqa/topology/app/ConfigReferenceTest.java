package dev.vidqa.topology.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vidqa.qformer.testing.RepoPaths;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The configuration keys: one table, read by the configuration, written to the reference. */
class ConfigReferenceTest {

    @Test
    void theReferenceInTheRepositoryIsTheGeneratedOne() throws Exception {
        String file = Files.readString(RepoPaths.root().resolve(ConfigReference.FILE), StandardCharsets.UTF_8);
        assertEquals(ConfigReference.markdown(), file, ConfigReference.FILE
                + " differs from the keys in ConfigKeys: regenerate it with ./vidqa config-reference > " + ConfigReference.FILE);
    }

    @Test
    void everyKeyOfTheTableIsReadAndChangesTheConfiguration() {
        String defaults = flat(VidqaConfig.from(new Properties()));
        int checked = 0;
        for (ConfigKeys.Key k : ConfigKeys.all()) {
            String other = otherValue(k);
            if (other == null) {
                continue;
            }
            Properties p = new Properties();
            p.put(k.name(), other);
            assertNotEquals(defaults, flat(VidqaConfig.from(p)), k.name() + "=" + other + " changed nothing: the key is not read");
            checked++;
        }
        assertTrue(checked >= 35, "checked " + checked + " keys");
    }

    @Test
    void theDefaultsAreTheTablesAndTheDecodeLimitCanTrigger() {
        VidqaConfig c = VidqaConfig.from(new Properties());
        assertEquals(4, c.topicCreation().partitions());
        assertEquals(2.0, c.frames().storeFps());
        assertEquals(8, c.questions().maxBatch());
        assertEquals(1024L << 20, c.encoder().cacheBytes());
        // the largest chunk a vidqa producer sends and the chunks topic takes bound the decode limit's default
        assertTrue(c.frames().decode().maxBytes() < TopicAdmin.MAX_MESSAGE_BYTES);
        assertEquals(32L << 20, c.frames().decode().maxBytes());
        assertEquals(Integer.toString(TopicAdmin.MAX_MESSAGE_BYTES), c.streams().get("producer.max.request.size"));
    }

    @Test
    void aMisspeltKeyIsRefusedByName() {
        Properties p = new Properties();
        p.put("vidqa.question.wait-seconds", "5");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VidqaConfig.from(p));
        assertTrue(e.getMessage().contains("vidqa.question.wait-seconds"), e.getMessage());
        Properties bad = new Properties();
        bad.put("vidqa.frames.store-fps", "fast");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> VidqaConfig.from(bad)).getMessage()
                .contains("vidqa.frames.store-fps"));
    }

    @Test
    void theShippedPropertiesFileUsesOnlyKnownKeys() throws Exception {
        VidqaConfig c = VidqaConfig.load(RepoPaths.root().resolve("deploy/config/vidqa.properties"));
        assertTrue(c.topicCreation().partitions() >= 1);
    }

    @Test
    void everyKeyTheReferenceListsIsInTheTable() throws Exception {
        String file = Files.readString(RepoPaths.root().resolve(ConfigReference.FILE), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("^\\| `(vidqa\\.[a-z.-]+)`", Pattern.MULTILINE).matcher(file);
        int n = 0;
        while (m.find()) {
            assertTrue(ConfigKeys.known(m.group(1)), m.group(1));
            n++;
        }
        assertEquals(ConfigKeys.all().size(), n);
    }

    /** A valid value different from the default. */
    private static String otherValue(ConfigKeys.Key k) {
        Map<String, String> special = Map.of("vidqa.device", "cpu", "vidqa.answer.sampling", "headtail",
                "vidqa.answer.prompt", "Q: {} A:", "vidqa.model.dir", "/nowhere", "vidqa.torch.threads", "7",
                "vidqa.answer.length-penalty", "0.5", "vidqa.answer.max-frames", "16", "vidqa.answer.frames", "6");
        if (special.containsKey(k.name())) {
            return special.get(k.name());
        }
        String v = k.value();
        if (v.equals("true") || v.equals("false")) {
            return Boolean.toString(!Boolean.parseBoolean(v));
        }
        if (v.matches("\\d+")) {
            return Long.toString(Long.parseLong(v) + 1);
        }
        if (v.matches("[\\d.]+")) {
            return Double.toString(Double.parseDouble(v) * 2);
        }
        return v + "-other";
    }

    /** The configuration as text (topics by name: their serdes are new objects each time). */
    private static String flat(VidqaConfig c) {
        return c.model() + "|" + c.topics().chunks().name() + c.topics().questions().name() + c.topics().answers().name()
                + c.topics().deadLetters().name() + c.topics().watches().name() + c.topics().incidents().name()
                + c.topics().sources().name() + c.topics().sourceStatus().name() + "|" + c.topicCreation() + c.frames() + c.questions() + c.encoder()
                + c.metricsPort() + c.live() + c.streams();
    }
}
