package dev.vidqa.topology.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vidqa.frames.Sampling;
import dev.vidqa.frames.SamplingSpec;
import dev.vidqa.topology.app.VidqaConfig;
import dev.vidqa.topology.records.QuestionOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnswerSettingsTest {
    @TempDir
    Path dir;

    @Test
    void theDefaultsAreThePapersVideoQaSettings() {
        AnswerSettings d = AnswerSettings.DEFAULTS;
        assertEquals(SamplingSpec.uniform(4), d.samplingSpec());
        assertEquals(5, d.generation().numBeams());
        assertEquals(10, d.generation().maxNewTokens());
        assertEquals(-1.0, d.generation().lengthPenalty());
        assertEquals(1.5, d.generation().repetitionPenalty());
        assertEquals(false, d.generation().earlyStopping());
        assertEquals("Question: {} Short answer:", d.prompt());
        assertEquals(AnswerSettings.KEYS, d.asKeys().keySet().stream().toList(), "asKeys names every key in order");
        assertEquals(d, AnswerSettings.DEFAULTS.withOverrides(d.asKeys()), "asKeys reproduces the settings");
    }

    @Test
    void aModelsOwnSettingsApplyAndEveryEntryPointOverridesThemByTheSameKeys() throws Exception {
        Files.writeString(dir.resolve(AnswerSettings.MODEL_FILE), "{\"answer\": {\"frames\": 8, \"beams\": 3}}");
        AnswerSettings m = AnswerSettings.forModel(dir);
        assertEquals(SamplingSpec.uniform(8), m.samplingSpec());
        assertEquals(3, m.generation().numBeams());
        assertEquals(AnswerSettings.DEFAULTS, AnswerSettings.forModel(dir.resolve("elsewhere")), "no file: defaults");

        Properties p = new Properties();
        p.put("vidqa.model.dir", dir.toString());
        p.put("vidqa.answer.beams", "2");
        VidqaConfig c = VidqaConfig.from(p);
        assertEquals(SamplingSpec.uniform(8), c.sampling(), "vidqa run answers from the model's 8 frames");
        assertEquals(2, c.answerOptions().generation().numBeams(), "the property wins over the model");

        QuestionOptions q = new QuestionOptions(null, "fps", 2.0, null, null, null, null, null);
        AnswerSettings asked = c.model().answer().withOverrides(q.asKeys());
        assertEquals(SamplingSpec.fps(2.0, 32), asked.samplingSpec(), "fps sampling is capped at max-frames");
        assertEquals(new SamplingSpec(Sampling.FPS, 6, 2.0),
                c.model().answer().withOverrides(new QuestionOptions(6, "fps", 2.0, null, null, null, null, null).asKeys())
                        .samplingSpec(), "a question's frames cap its fps sampling");
    }

    @Test
    void unknownKeysAndBadValuesAreRefusedByName() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AnswerSettings.DEFAULTS.withOverrides(Map.of("beam", "3")));
        assertTrue(e.getMessage().contains("'beam'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> AnswerSettings.DEFAULTS.withOverrides(Map.of("frames", "many")));
        assertTrue(e.getMessage().contains("frames") && e.getMessage().contains("many"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AnswerSettings.DEFAULTS.withOverrides(Map.of("frames", "0")));
        Files.writeString(dir.resolve(AnswerSettings.MODEL_FILE), "{\"answer\": {\"prompt\": \"no placeholder\"}}");
        e = assertThrows(IllegalArgumentException.class, () -> AnswerSettings.forModel(dir));
        assertTrue(e.getMessage().contains(AnswerSettings.MODEL_FILE), e.getMessage());
        Properties p = new Properties();
        p.put("vidqa.answer.frame", "3");
        e = assertThrows(IllegalArgumentException.class, () -> VidqaConfig.from(p));
        assertTrue(e.getMessage().contains("vidqa.answer.frame"), e.getMessage());
    }
}
