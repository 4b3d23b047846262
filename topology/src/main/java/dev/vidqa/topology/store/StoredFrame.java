package dev.vidqa.topology.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A frame kept in the changelogged frame store: already resized to the checkpoint's square input
 * (uint8 RGB, e.g. 224x224x3 = 150 KB), not normalised and not encoded. This is the compact,
 * durable form: normalising is exact and cheap, and vision features (1.4 MB per ViT-g frame)
 * are recomputed into the in-memory cache after a failover instead of being changelogged.
 *
 * @param time stream time in seconds
 */
public record StoredFrame(String streamId, double time, String clip, int size, byte[] rgb) {
    /** 1: no content hash; 2: the pixels' 64-bit FNV-1a hash after the time. */
    private static final byte VERSION = 2;

    public StoredFrame {
        if (rgb.length != size * size * 3) {
            throw new IllegalArgumentException("stored frame of " + rgb.length + " bytes for " + size + "x" + size);
        }
    }

    public String key() {
        return FrameKeys.frame(streamId, time);
    }

    public byte[] encode() {
        byte[] s = streamId.getBytes(StandardCharsets.UTF_8);
        byte[] c = (clip == null ? "" : clip).getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(1 + 8 + 8 + 4 + 4 + s.length + 4 + c.length + rgb.length);
        b.put(VERSION).putDouble(time).putLong(contentHash(rgb)).putInt(size).putInt(s.length).put(s).putInt(c.length)
                .put(c).put(rgb);
        return b.array();
    }

    /**
     * What identifies the pixels: a stream re-ingested from time 0 stores new frames under the old
     * keys, and vision features cached for the old ones must never answer for them.
     */
    public static long contentHash(byte[] rgb) {
        long h = 0xcbf29ce484222325L;
        for (byte x : rgb) {
            h = (h ^ (x & 0xFF)) * 0x100000001b3L;
        }
        return h;
    }

    /**
     * A stored frame's time, clip and content hash, read without copying its pixels. The hash is 0
     * for frames stored by version 1 (which had none).
     */
    public record Header(double time, String clip, long contentHash) {
        /** The key of this frame's vision features: its store key and its content. */
        public String featureKey(String storeKey) {
            return storeKey + "#" + Long.toHexString(contentHash);
        }
    }

    private static int version(ByteBuffer b) {
        byte v = b.get();
        if (v != 1 && v != VERSION) {
            throw new IllegalArgumentException("stored frame of unknown version " + v);
        }
        return v;
    }

    public static Header header(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        int v = version(b);
        double time = b.getDouble();
        long hash = v >= 2 ? b.getLong() : 0;
        b.getInt(); // size
        int idLength = b.getInt();
        b.position(b.position() + idLength); // stream id
        byte[] c = new byte[b.getInt()];
        b.get(c);
        String clip = new String(c, StandardCharsets.UTF_8);
        return new Header(time, clip.isEmpty() ? null : clip, hash);
    }

    public static StoredFrame decode(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        int v = version(b);
        double time = b.getDouble();
        if (v >= 2) {
            b.getLong(); // content hash
        }
        int size = b.getInt();
        byte[] s = new byte[b.getInt()];
        b.get(s);
        byte[] c = new byte[b.getInt()];
        b.get(c);
        byte[] rgb = new byte[b.remaining()];
        b.get(rgb);
        String clip = new String(c, StandardCharsets.UTF_8);
        return new StoredFrame(new String(s, StandardCharsets.UTF_8), time, clip.isEmpty() ? null : clip, size, rgb);
    }
}
