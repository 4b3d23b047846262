package dev.vidqa.topology.bench;

import dev.vidqa.answerer.InstructBlipVideo;
import dev.vidqa.ingest.ChunkPublisher;
import dev.vidqa.qformer.DeviceChoice;
import dev.vidqa.topology.app.VidqaApp;
import dev.vidqa.topology.app.VidqaConfig;
import dev.vidqa.topology.client.AnswerWatcher;
import dev.vidqa.topology.client.QuestionPublisher;
import dev.vidqa.topology.pipeline.ModelQaEngine;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

/** A benchmark's running application on the CPU with the clients that feed and watch it. */
record BenchApp(ModelQaEngine engine, VidqaApp app, AnswerWatcher watcher, QuestionPublisher ask, ChunkPublisher chunks)
        implements AutoCloseable {

    /** Loads {@code model}, starts the application and waits until it runs. */
    static BenchApp start(VidqaConfig c, Properties client, Path model) throws Exception {
        c.applyTorchThreads();
        ModelQaEngine engine = VidqaApp.engine(c, InstructBlipVideo.load(model, DeviceChoice.CPU));
        VidqaApp app = null;
        try {
            app = VidqaApp.start(c, engine, new SimpleMeterRegistry());
            if (!app.awaitRunning(Duration.ofSeconds(60))) {
                throw new IllegalStateException("the application did not start");
            }
            return new BenchApp(engine, app, new AnswerWatcher(client, c.topics().answers().name(), false),
                    new QuestionPublisher(client, c.topics().questions().name()),
                    new ChunkPublisher(client, c.topics().chunks().name()));
        } catch (Exception | Error e) {
            if (app != null) {
                app.close();
            }
            engine.close();
            throw e;
        }
    }

    @Override
    public void close() {
        chunks.close();
        ask.close();
        watcher.close();
        app.close();
        engine.close();
    }
}
