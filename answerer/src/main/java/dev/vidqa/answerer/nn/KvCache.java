package dev.vidqa.answerer.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;

/**
 * Keys and values of every layer for the tokens seen so far, (rows, heads, T, head_dim) each. One
 * per request: the model's weights never hold per-request state.
 */
public final class KvCache implements AutoCloseable {
    private final NDArray[] keys;
    private final NDArray[] values;

    public KvCache(int layers) {
        this.keys = new NDArray[layers];
        this.values = new NDArray[layers];
    }

    /** Appends (rows,H,n,hd) to layer {@code layer} and returns the full keys and values. */
    public NDArray[] append(int layer, NDArray k, NDArray v) {
        NDArray fullK = keys[layer] == null ? k : NDArrays.concat(new NDList(keys[layer], k), 2);
        NDArray fullV = values[layer] == null ? v : NDArrays.concat(new NDList(values[layer], v), 2);
        replace(layer, fullK, fullV);
        return new NDArray[] {fullK, fullV};
    }

    /** Stores precomputed keys and values (e.g. T5's cross-attention over the encoder output). */
    public void put(int layer, NDArray k, NDArray v) {
        replace(layer, k, v);
    }

    public NDArray keys(int layer) {
        return keys[layer];
    }

    public NDArray values(int layer) {
        return values[layer];
    }

    /** Reorders rows: row i becomes old row {@code rowIndex[i]}. */
    public void select(NDArray rowIndex) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != null) {
                replace(i, keys[i].get(rowIndex), values[i].get(rowIndex));
            }
        }
    }

    public int length() {
        return keys[0] == null ? 0 : (int) keys[0].getShape().get(2);
    }

    private void replace(int layer, NDArray k, NDArray v) {
        // the cache outlives the step's scope: keep the new arrays, free the old ones
        NDScope.unregister(k, v);
        if (keys[layer] != null && keys[layer] != k) {
            keys[layer].close();
        }
        if (values[layer] != null && values[layer] != v) {
            values[layer].close();
        }
        keys[layer] = k;
        values[layer] = v;
    }

    @Override
    public void close() {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != null) {
                keys[i].close();
                values[i].close();
            }
            keys[i] = null;
            values[i] = null;
        }
    }
}
