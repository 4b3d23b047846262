package dev.vidqa.qformer.weights;

import ai.djl.ndarray.NDArray;

/**
 * The weights under one key prefix, as a model block sees them: the block asks for its own key
 * suffixes ({@code "qkv.weight"}) and never spells a full key.
 */
public final class Weights {
    private final WeightStore store;
    private final String prefix;

    Weights(WeightStore store, String prefix) {
        this.store = store;
        this.prefix = prefix;
    }

    public Weights child(String name) {
        return new Weights(store, key(name));
    }

    public Weights child(String name, int index) {
        return new Weights(store, key(name) + "." + index);
    }

    public String key(String suffix) {
        return prefix.isEmpty() ? suffix : prefix + "." + suffix;
    }

    public boolean has(String suffix) {
        return store.contains(key(suffix));
    }

    public NDArray get(String suffix, long... shape) {
        return store.load(key(suffix), shape);
    }

    /** Marks a tied copy as known without loading it (see {@link WeightStore#skip}). */
    public void skip(String suffix) {
        store.skip(key(suffix));
    }

    /** Loads {@code suffix} when present, else returns null. */
    public NDArray optional(String suffix, long... shape) {
        return has(suffix) ? get(suffix, shape) : null;
    }

    public WeightStore store() {
        return store;
    }

    public String prefix() {
        return prefix;
    }
}
