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

    /** Whether tensors of this type hold floating-point numbers (what every model weight is). */
    public boolean isFloat() {
        return this == F32 || this == F16 || this == BF16 || this == F64;
    }

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
