package dev.vidqa.qformer.weights;

/** The safetensors dtypes vidqa reads. Half-precision types are widened to float32 on load. */
public enum StorageType {
    F32(4),
    F16(2),
    BF16(2),
    F64(8),
    I64(8),
    I32(4),
    I8(1),
    U8(1),
    BOOL(1);

    private final int bytes;

    StorageType(int bytes) {
        this.bytes = bytes;
    }

    public int bytes() {
        return bytes;
    }

    static StorageType parse(String s, String where) {
        try {
            return valueOf(s);
        } catch (IllegalArgumentException e) {
            throw new WeightException(where + ": unsupported safetensors dtype '" + s + "'");
        }
    }
}
