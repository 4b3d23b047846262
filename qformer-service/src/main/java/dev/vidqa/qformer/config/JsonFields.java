package dev.vidqa.qformer.config;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads typed fields of a Hugging Face config object. Hugging Face saves only the values that differ
 * from a config class's defaults in some versions, so every read names the library default.
 */
public final class JsonFields {
    private final JsonNode node;
    private final String where;

    public JsonFields(JsonNode node, String where) {
        if (node == null || !node.isObject()) {
            throw new ConfigException(where + " is missing or not a JSON object");
        }
        this.node = node;
        this.where = where;
    }

    public JsonNode node() {
        return node;
    }

    public String where() {
        return where;
    }

    public boolean has(String name) {
        JsonNode v = node.get(name);
        return v != null && !v.isNull();
    }

    public int intOr(String name, int def) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return def;
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber()) {
            throw new ConfigException(where + "." + name + " must be an integer, got " + v);
        }
        return v.intValue();
    }

    /** An integer id that may be absent ({@code null}), a number, or a list whose first entry counts. */
    public Integer intOrNull(String name) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isArray()) {
            return v.size() == 0 ? null : v.get(0).intValue();
        }
        if (!v.isIntegralNumber()) {
            throw new ConfigException(where + "." + name + " must be an integer, got " + v);
        }
        return v.intValue();
    }

    public double doubleOr(String name, double def) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return def;
        }
        if (!v.isNumber()) {
            throw new ConfigException(where + "." + name + " must be a number, got " + v);
        }
        return v.doubleValue();
    }

    public boolean boolOr(String name, boolean def) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return def;
        }
        if (!v.isBoolean()) {
            throw new ConfigException(where + "." + name + " must be true or false, got " + v);
        }
        return v.booleanValue();
    }

    public String stringOr(String name, String def) {
        JsonNode v = node.get(name);
        return v == null || v.isNull() ? def : v.asText();
    }

    public JsonFields object(String name) {
        return new JsonFields(node.get(name), where + "." + name);
    }

    /** Throws unless {@code condition}; the message names this config object. */
    public static void require(boolean condition, String where, String message) {
        if (!condition) {
            throw new ConfigException(where + ": " + message);
        }
    }
}
