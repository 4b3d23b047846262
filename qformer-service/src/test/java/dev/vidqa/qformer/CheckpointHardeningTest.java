package dev.vidqa.qformer;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.vidqa.qformer.config.ConfigException;
import dev.vidqa.qformer.config.InstructBlipConfig;
import dev.vidqa.qformer.weights.SafetensorsFile;
import dev.vidqa.qformer.weights.WeightException;
import dev.vidqa.qformer.weights.WeightStore;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A checkpoint directory is untrusted input: what a hostile or broken one must not be able to do. */
class CheckpointHardeningTest {
    @TempDir
    Path dir;

    /** A safetensors file with this header JSON and {@code dataBytes} zero bytes of data. */
    static Path safetensors(Path file, String header, int dataBytes) throws Exception {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        Files.write(file, b.array());
        return file;
    }

    @Test
    void aShardIndexCannotPointOutsideTheCheckpoint() throws Exception {
        Files.writeString(dir.resolve(WeightStore.INDEX_FILE),
                "{\"weight_map\": {\"vision_model.x\": \"../../../../../../etc/passwd\"}}");
        WeightException e = assertThrows(WeightException.class, () -> WeightStore.open(dir, Device.cpu()));
        assertTrue(e.getMessage().contains("not a file inside the checkpoint directory"), e.getMessage());
        long size = Files.size(Path.of("/etc/passwd"));
        assertFalse(e.getMessage().contains(Long.toString(size)), "nothing about the outside file leaks: " + e.getMessage());
        Files.writeString(dir.resolve(WeightStore.INDEX_FILE), "{\"weight_map\": {\"x\": \"/etc/passwd\"}}");
        assertThrows(WeightException.class, () -> WeightStore.open(dir, Device.cpu()));
    }

    @Test
    void aConfigThatIsAPipeOrADeviceIsRefusedAtOnce() throws Exception {
        Path fifo = dir.resolve("config.json");
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertTrue(p.waitFor() == 0, "mkfifo");
        ConfigException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(ConfigException.class, () -> InstructBlipConfig.read(dir)));
        assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
        Files.delete(fifo);
        Files.createSymbolicLink(fifo, Path.of("/dev/zero"));
        assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(ConfigException.class, () -> InstructBlipConfig.read(dir)));
        Files.delete(fifo);
        Files.write(fifo, new byte[(int) (dev.vidqa.qformer.config.JsonFiles.SMALL + 1)]);
        ConfigException big = assertThrows(ConfigException.class, () -> InstructBlipConfig.read(dir));
        assertTrue(big.getMessage().contains("refusing to read it"), big.getMessage());
    }

    @Test
    void overlappingTensorsAreRefused() throws Exception {
        Path f = safetensors(dir.resolve("model.safetensors"),
                "{\"a\": {\"dtype\": \"F32\", \"shape\": [4], \"data_offsets\": [0, 16]},"
                        + " \"b\": {\"dtype\": \"F32\", \"shape\": [4], \"data_offsets\": [8, 24]}}", 24);
        WeightException e = assertThrows(WeightException.class, () -> SafetensorsFile.open(f));
        assertTrue(e.getMessage().contains("overlap"), e.getMessage());
    }

    @Test
    void aShapeWhoseSizeOverflowsIsRefusedWithALine() throws Exception {
        Path f = safetensors(dir.resolve("model.safetensors"),
                "{\"a\": {\"dtype\": \"F32\", \"shape\": [4294967296, 4294967296, 16], \"data_offsets\": [0, 16]}}", 16);
        WeightException e = assertThrows(WeightException.class, () -> SafetensorsFile.open(f));
        assertTrue(e.getMessage().contains("more elements than a long can count"), e.getMessage());
        Path g = safetensors(dir.resolve("model2.safetensors"),
                "{\"a\": {\"dtype\": \"F64\", \"shape\": [2305843009213693952], \"data_offsets\": [0, 16]}}", 16);
        WeightException e2 = assertThrows(WeightException.class, () -> SafetensorsFile.open(g));
        assertTrue(e2.getMessage().contains("more bytes than a long can count"), e2.getMessage());
    }

    @Test
    void anIntegerTensorWhereAFloatWeightBelongsIsRefusedAtLoad() throws Exception {
        safetensors(dir.resolve("model.safetensors"),
                "{\"w\": {\"dtype\": \"I64\", \"shape\": [2], \"data_offsets\": [0, 16]}}", 16);
        try (WeightStore store = WeightStore.open(dir, Device.cpu())) {
            WeightException e = assertThrows(WeightException.class, () -> store.load("w", 2));
            assertTrue(e.getMessage().contains("dtype I64") && e.getMessage().contains("floating point"), e.getMessage());
        }
    }
}
