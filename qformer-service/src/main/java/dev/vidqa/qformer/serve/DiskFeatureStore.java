package dev.vidqa.qformer.serve;

import dev.vidqa.qformer.FrameFeatures;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Per-frame arrays (the frozen vision encoder's output, or preprocessed pixels) kept on disk and
 * memory-mapped on read, so that a training run computes them once per sampled frame and later
 * epochs — and later runs — skip decoding and the vision encoder.
 *
 * <p>Entries are keyed by the video's content (SHA-256 of its bytes, so a renamed or re-downloaded
 * file is still found and a changed file never matches) and by what was taken from it (sampling,
 * image size, model). One file per entry: {@code magic, frames, rows, cols} then
 * {@code frames x rows x cols} little-endian floats; written to a temporary name and renamed, so a
 * crash never leaves a half-written entry.
 */
public final class DiskFeatureStore {
    private static final int MAGIC = 0x76716631; // "vqf1"

    private final Path dir;
    private final Map<String, String> hashes = new ConcurrentHashMap<>();
    private final AtomicLong hits = new AtomicLong();
    /**
     * The mappings in use, most recent last. Java cannot unmap a file: a mapping goes when the
     * garbage collector finds it unreachable, so mapping an entry on every read would let resident
     * memory drift with GC timing. Each entry is mapped once and reused; at most this many stay mapped.
     */
    private static final int OPEN_MAPPINGS = 4096;
    private final Map<String, MappedByteBuffer> mapped = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, MappedByteBuffer> e) {
                    return size() > OPEN_MAPPINGS;
                }
            });
    private final AtomicLong misses = new AtomicLong();

    public DiskFeatureStore(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the feature store " + dir, e);
        }
    }

    public Path directory() {
        return dir;
    }

    /** The SHA-256 of a file's bytes, computed once per file (path, size and modification time). */
    public String contentHash(Path video) throws IOException {
        String id = video.toAbsolutePath() + "|" + Files.size(video) + "|" + Files.getLastModifiedTime(video).toMillis();
        String known = hashes.get(id);
        if (known != null) {
            return known;
        }
        MessageDigest d;
        try {
            d = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(video)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                d.update(buf, 0, n);
            }
        }
        String hash = HexFormat.of().formatHex(d.digest());
        hashes.put(id, hash);
        return hash;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The entry name for {@code video} and what was taken from it (any text naming sampling and model). */
    public String key(Path video, String what) throws IOException {
        return contentHash(video) + "-" + sha256(what.getBytes(java.nio.charset.StandardCharsets.UTF_8)).substring(0, 16);
    }

    /** The stored frames of {@code key} as (rows, cols) arrays, or null when absent. */
    public List<FrameFeatures> get(String key) {
        Path f = dir.resolve(key + ".f32");
        try {
            MappedByteBuffer map = mapped.get(key);
            if (map == null) {
                if (!Files.isRegularFile(f)) {
                    misses.incrementAndGet();
                    return null;
                }
                try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
                    map = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
                }
                map.order(ByteOrder.LITTLE_ENDIAN);
                check(f, map);
                mapped.put(key, map);
            }
            ByteBuffer view = map.duplicate().order(ByteOrder.LITTLE_ENDIAN);
            int frames = view.getInt(4);
            int rows = view.getInt(8);
            int cols = view.getInt(12);
            FloatBuffer floats = view.position(16).slice().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
            List<FrameFeatures> out = new ArrayList<>(frames);
            for (int i = 0; i < frames; i++) {
                float[] data = new float[rows * cols];
                floats.get(data);
                out.add(new FrameFeatures(data, rows, cols));
            }
            hits.incrementAndGet();
            return out;
        } catch (IOException e) {
            // a damaged entry is recomputed, never trusted
            misses.incrementAndGet();
            mapped.remove(key);
            try {
                Files.deleteIfExists(f);
            } catch (IOException ignored) {
                // left for the next writer to replace
            }
            return null;
        }
    }

    private static void check(Path f, ByteBuffer map) throws IOException {
        long size = map.capacity();
        if (size < 16 || map.getInt(0) != MAGIC) {
            throw new IOException(f + " is not a feature-store entry");
        }
        int frames = map.getInt(4);
        int rows = map.getInt(8);
        int cols = map.getInt(12);
        long expected = 16L + 4L * frames * rows * cols;
        if (frames <= 0 || rows <= 0 || cols <= 0 || size != expected) {
            throw new IOException(f + " is truncated (" + size + " bytes, expected " + expected + ")");
        }
    }

    /** Stores the frames of {@code key} (all of the same shape). */
    public void put(String key, List<FrameFeatures> frames) throws IOException {
        FrameFeatures first = frames.get(0);
        Path tmp = Files.createTempFile(dir, "." + key, ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer head = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN)
                    .putInt(MAGIC).putInt(frames.size()).putInt(first.tokens()).putInt(first.dim()).flip();
            write(ch, head);
            for (FrameFeatures f : frames) {
                if (f.tokens() != first.tokens() || f.dim() != first.dim()) {
                    throw new IllegalArgumentException("frames of different shapes in one entry");
                }
                ByteBuffer b = ByteBuffer.allocate(4 * f.data().length).order(ByteOrder.LITTLE_ENDIAN);
                b.asFloatBuffer().put(f.data());
                write(ch, b);
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        try {
            Files.move(tmp, dir.resolve(key + ".f32"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, dir.resolve(key + ".f32"), StandardCopyOption.REPLACE_EXISTING);
        }
        mapped.remove(key); // a mapping of a file this one replaced would show the old bytes
    }

    private static void write(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    public long hits() {
        return hits.get();
    }

    public long misses() {
        return misses.get();
    }
}
