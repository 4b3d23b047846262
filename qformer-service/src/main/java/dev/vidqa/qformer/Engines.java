package dev.vidqa.qformer;

import ai.djl.engine.Engine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place that starts DJL's PyTorch engine, always offline. */
public final class Engines {
    private static final Logger LOG = LoggerFactory.getLogger(Engines.class);
    public static final String OFFLINE_PROPERTY = "ai.djl.offline";

    private Engines() {}

    /**
     * DJL downloads natives and phones home at engine start unless told it is offline. vidqa never
     * needs the network for the model: force offline mode when nobody chose otherwise.
     */
    public static void ensureOffline() {
        if (System.getProperty(OFFLINE_PROPERTY) == null && System.getenv("DJL_OFFLINE") == null) {
            System.setProperty(OFFLINE_PROPERTY, "true");
            LOG.debug("set {}=true", OFFLINE_PROPERTY);
        }
    }

    public static Engine pytorch() {
        ensureOffline();
        return Engine.getEngine("PyTorch");
    }
}
