package dev.vidqa.qformer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.vidqa.qformer.config.ConfigException;
import dev.vidqa.qformer.testing.Checkpoints;
import dev.vidqa.qformer.testing.Checkpoints.Tensor;
import dev.vidqa.qformer.testing.GoldenSets;
import dev.vidqa.qformer.testing.RepoPaths;
import dev.vidqa.qformer.testing.Tensors;
import dev.vidqa.qformer.weights.SafetensorsWriter;
import dev.vidqa.qformer.weights.StorageType;
import dev.vidqa.qformer.weights.WeightException;
import dev.vidqa.qformer.weights.WeightStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WeightLoadingTest {
    static final Path TINY = RepoPaths.tinyT5();

    @TempDir
    Path tmp;

    @BeforeAll
    static void guard() {
        GoldenSets.root();
    }

    /** The vision features of the golden pixels, computed from a checkpoint directory. */
    static NDArray visionFeatures(Path checkpoint, NDManager m) {
        try (VideoQFormer model = VideoQFormer.load(checkpoint, DeviceChoice.CPU)) {
            NDArray pixels = GoldenSets.ofKind("t5").findFirst().orElseThrow().tensor(m, "pixel_values");
            long[] s = pixels.getShape().getShape();
            NDArray out = model.encodeFrames(pixels.reshape(s[0] * s[1], s[2], s[3], s[4]));
            // copy out of the model's lifetime: the weights are about to be closed
            return m.create(out.toFloatArray(), out.getShape());
        }
    }

    @Test
    void shardedCheckpointLoadsLikeTheSingleFile() {
        Path sharded = Checkpoints.shard(TINY, tmp.resolve("sharded"), 3);
        assertFalse(Files.exists(sharded.resolve("model.safetensors")));
        assertTrue(Files.exists(sharded.resolve("model-00003-of-00003.safetensors")));
        try (NDManager m = NDManager.newBaseManager()) {
            Tensors.assertClose("sharded vs single", visionFeatures(TINY, m), visionFeatures(sharded, m), 0);
        }
    }

    @Test
    void bfloat16AndFloat16WeightsAreWidenedToFloat32() throws IOException {
        Path file = tmp.resolve("model.safetensors");
        // bf16: the top 16 bits of a float32; f16: IEEE half, including a subnormal and the maximum
        float[] values = {1.5f, -2.25f, 0f, 3.140625f};
        short[] bf16 = new short[values.length];
        for (int i = 0; i < values.length; i++) {
            bf16[i] = (short) (Float.floatToIntBits(values[i]) >>> 16);
        }
        short[] f16 = {0x3C00, (short) 0xC000, 0x7BFF, 0x0001}; // 1, -2, 65504, 2^-24
        new SafetensorsWriter()
                .add("a", StorageType.BF16, new long[] {2, 2}, b -> { for (short s : bf16) b.putShort(s); })
                .add("b", StorageType.F16, new long[] {4}, b -> { for (short s : f16) b.putShort(s); })
                .write(file);
        try (WeightStore store = WeightStore.open(tmp, Device.cpu())) {
            assertArrayEquals(values, store.load("a", 2, 2).toFloatArray());
            assertArrayEquals(new float[] {1f, -2f, 65504f, 0x1p-24f}, store.load("b", 4).toFloatArray());
            assertEquals(ai.djl.ndarray.types.DataType.FLOAT32, store.load("a").getDataType());
        }
    }

    @Test
    void bfloat16CheckpointRunsTheModel() {
        Path bf = Checkpoints.edit(TINY, tmp.resolve("bf16"), (k, t) -> t.dtype() != StorageType.F32 ? t : toBf16(t));
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray exact = visionFeatures(TINY, m);
            NDArray widened = visionFeatures(bf, m);
            // bf16 keeps 8 bits of mantissa: close, not equal
            double diff = exact.sub(widened).abs().max().getFloat();
            assertTrue(diff > 0 && diff < 0.5, "bf16 weights changed the features by " + diff);
        }
    }

    static Tensor toBf16(Tensor t) {
        ByteBuffer src = t.bytes().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer dst = ByteBuffer.allocate(src.remaining() / 2).order(ByteOrder.LITTLE_ENDIAN);
        while (src.hasRemaining()) {
            dst.putShort((short) (Float.floatToIntBits(src.getFloat()) >>> 16));
        }
        return new Tensor(StorageType.BF16, t.shape(), dst.flip());
    }

    @Test
    void missingWeightNamesTheKeyTheFileAndTheShape() {
        Path dir = Checkpoints.edit(TINY, tmp.resolve("missing"), (k, t) ->
                k.equals("vision_model.encoder.layers.1.mlp.fc1.weight") ? null : t);
        WeightException e = assertThrows(WeightException.class, () -> VideoQFormer.load(dir, DeviceChoice.CPU));
        assertTrue(e.getMessage().contains("missing weight 'vision_model.encoder.layers.1.mlp.fc1.weight'"), e.getMessage());
        assertTrue(e.getMessage().contains("[176, 64]"), e.getMessage());
        assertTrue(e.getMessage().contains(dir.resolve("model.safetensors").toString()), e.getMessage());
    }

    @Test
    void shapeMismatchNamesExpectedAndActual() {
        Path dir = Checkpoints.edit(TINY, tmp.resolve("shape"), (k, t) -> !k.equals("qformer.encoder.layer.0.output.dense.bias")
                ? t : new Tensor(t.dtype(), new long[] {6, 8}, t.bytes()));
        WeightException e = assertThrows(WeightException.class, () -> VideoQFormer.load(dir, DeviceChoice.CPU));
        assertTrue(e.getMessage().contains("'qformer.encoder.layer.0.output.dense.bias'"), e.getMessage());
        assertTrue(e.getMessage().contains("has shape [6, 8], expected [48]"), e.getMessage());
        assertTrue(e.getMessage().contains("model.safetensors"), e.getMessage());
    }

    @Test
    void unexpectedWeightsAreListed() {
        Path dir = Checkpoints.edit(TINY, tmp.resolve("extra"), (k, t) -> t);
        var all = Checkpoints.read(dir.resolve("model.safetensors"));
        all.put("vision_model.encoder.layers.2.mlp.fc1.weight", all.get("vision_model.encoder.layers.1.mlp.fc1.weight"));
        Checkpoints.write(dir.resolve("model.safetensors"), all);
        WeightException e = assertThrows(WeightException.class, () -> VideoQFormer.load(dir, DeviceChoice.CPU));
        assertTrue(e.getMessage().contains("1 unexpected weight(s)"), e.getMessage());
        assertTrue(e.getMessage().contains("vision_model.encoder.layers.2.mlp.fc1.weight [176, 64]"), e.getMessage());
    }

    @Test
    void pickleOnlyCheckpointIsRefusedWithConversionAdvice() throws IOException {
        Path dir = tmp.resolve("pickle");
        Checkpoints.copyWithoutWeights(TINY, dir);
        Files.write(dir.resolve("pytorch_model.bin"), new byte[] {1, 2, 3});
        WeightException e = assertThrows(WeightException.class, () -> VideoQFormer.load(dir, DeviceChoice.CPU));
        assertTrue(e.getMessage().contains("pytorch_model*.bin"), e.getMessage());
        assertTrue(e.getMessage().contains("safe_serialization=True"), e.getMessage());
    }

    @Test
    void truncatedShardIsReported() throws IOException {
        Path dir = Checkpoints.edit(TINY, tmp.resolve("trunc"), (k, t) -> t);
        Path f = dir.resolve("model.safetensors");
        byte[] bytes = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(bytes, bytes.length - 1000));
        WeightException e = assertThrows(WeightException.class, () -> VideoQFormer.load(dir, DeviceChoice.CPU));
        assertTrue(e.getMessage().contains("outside the data section"), e.getMessage());
    }

    @Test
    void garbageIsNotASafetensorsFile() throws IOException {
        Path dir = tmp.resolve("garbage");
        Checkpoints.copyWithoutWeights(TINY, dir);
        Files.writeString(dir.resolve("model.safetensors"), "this is not a safetensors file at all");
        WeightException e = assertThrows(WeightException.class, () -> VideoQFormer.load(dir, DeviceChoice.CPU));
        assertTrue(e.getMessage().contains("not a safetensors file"), e.getMessage());
    }

    @Test
    void indexPointingAtAMissingShardIsReported() throws IOException {
        Path dir = Checkpoints.shard(TINY, tmp.resolve("lost"), 2);
        Files.delete(dir.resolve("model-00002-of-00002.safetensors"));
        WeightException e = assertThrows(WeightException.class, () -> VideoQFormer.load(dir, DeviceChoice.CPU));
        assertTrue(e.getMessage().contains("model-00002-of-00002.safetensors does not exist"), e.getMessage());
    }

    @Test
    void missingOrBadConfigIsReported() throws IOException {
        Path dir = tmp.resolve("noconfig");
        Files.createDirectories(dir);
        ConfigException e = assertThrows(ConfigException.class, () -> VideoQFormer.load(dir, DeviceChoice.CPU));
        assertTrue(e.getMessage().contains("config.json does not exist"), e.getMessage());
        Checkpoints.copyWithoutWeights(TINY, dir);
        String cfg = Files.readString(dir.resolve("config.json")).replace("\"patch_size\": 14", "\"patch_size\": 15");
        Files.writeString(dir.resolve("config.json"), cfg);
        e = assertThrows(ConfigException.class, () -> VideoQFormer.load(dir, DeviceChoice.CPU));
        assertTrue(e.getMessage().contains("image_size 56 is not a multiple of patch_size 15"), e.getMessage());
    }

    @Test
    void aliasedPrefixesResolve() {
        Path dir = Checkpoints.renameKeys(TINY, tmp.resolve("alias"), k -> k.replace("qformer.", "q_former."));
        try (WeightStore store = WeightStore.open(dir, Device.cpu())) {
            assertFalse(store.contains("qformer.embeddings.layernorm.weight"));
            store.alias("qformer.", "q_former.");
            assertEquals(48, store.load("qformer.embeddings.layernorm.weight", 48).size());
            assertTrue(store.unconsumed("q_former.embeddings.layernorm.weight").isEmpty());
        }
    }

    @Test
    void sealedWeightsRejectLeakingOperations() {
        try (VideoQFormer model = VideoQFormer.load(TINY, DeviceChoice.CPU)) {
            // Any op whose result would attach to the weights' manager fails instead of leaking.
            WeightStore store = WeightStore.open(TINY, Device.cpu());
            NDArray w = store.load("query_tokens", 1, 4, 48);
            store.seal();
            assertThrows(IllegalStateException.class, () -> w.mul(2));
            store.close();
            assertEquals(4, model.config().numQueryTokens());
        }
    }
}
