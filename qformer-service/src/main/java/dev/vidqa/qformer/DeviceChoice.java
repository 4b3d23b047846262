package dev.vidqa.qformer;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.Locale;

/** Where the model runs. {@code AUTO} takes the first GPU when the engine sees one, else the CPU. */
public enum DeviceChoice {
    CPU,
    GPU,
    AUTO;

    public Device resolve() {
        int gpus = Engines.pytorch().getGpuCount();
        return switch (this) {
            case CPU -> Device.cpu();
            case GPU -> {
                if (gpus == 0) {
                    throw new IllegalStateException("device 'gpu' was requested but the PyTorch engine sees no GPU"
                            + " (CPU-only natives on the classpath, or no CUDA driver); use --device cpu or auto");
                }
                yield Device.gpu();
            }
            case AUTO -> gpus > 0 ? Device.gpu() : Device.cpu();
        };
    }

    public static DeviceChoice parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown device '" + s + "' (expected cpu, gpu or auto)");
        }
    }
}
