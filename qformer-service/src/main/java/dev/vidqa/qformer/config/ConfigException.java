package dev.vidqa.qformer.config;

/** A {@code config.json} that is missing, malformed, or describes an impossible model. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
