package dev.vidqa.qformer.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import java.util.function.Supplier;

/**
 * Frees a block's intermediates as soon as the block returns. Without this, every activation of
 * a 39-layer ViT would live until the request's manager closes (gigabytes per batch).
 */
public final class Scopes {
    private Scopes() {}

    /** Runs {@code body}; closes every array it created except the result, which moves to the enclosing scope. */
    public static NDArray run(Supplier<NDArray> body) {
        NDArray out;
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            out = body.get();
            NDScope.unregister(out);
        }
        NDScope.register(out);
        return out;
    }

    /** As {@link #run} for several results. */
    public static NDList runList(Supplier<NDList> body) {
        NDList out;
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            out = body.get();
            NDScope.unregister(out);
        }
        out.forEach(NDScope::register);
        return out;
    }
}
