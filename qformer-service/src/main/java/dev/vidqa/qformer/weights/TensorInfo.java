package dev.vidqa.qformer.weights;

import java.util.Arrays;

/** Where one tensor lies in a safetensors file: its dtype, shape and byte range in the data section. */
public record TensorInfo(String name, StorageType dtype, long[] shape, long begin, long end) {

    public long numel() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    public String shapeString() {
        return Arrays.toString(shape);
    }
}
