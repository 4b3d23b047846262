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
    private static final byte VERSION = 1;

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
        ByteBuffer b = ByteBuffer.allocate(1 + 8 + 4 + 4 + s.length + 4 + c.length + rgb.length);
        b.put(VERSION).putDouble(time).putInt(size).putInt(s.length).put(s).putInt(c.length).put(c).put(rgb);
        return b.array();
    }

    /** A stored frame's time and clip, read without copying its pixels. */
    public record Header(double time, String clip) {}

    public static Header header(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        byte v = b.get();
        if (v != VERSION) {
            throw new IllegalArgumentException("stored frame of unknown version " + v);
        }
        double time = b.getDouble();
        b.getInt(); // size
        int idLength = b.getInt();
        b.position(b.position() + idLength); // stream id
        byte[] c = new byte[b.getInt()];
        b.get(c);
        String clip = new String(c, StandardCharsets.UTF_8);
        return new Header(time, clip.isEmpty() ? null : clip);
    }

    public static StoredFrame decode(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        byte v = b.get();
        if (v != VERSION) {
            throw new IllegalArgumentException("stored frame of unknown version " + v);
        }
        double time = b.getDouble();
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
