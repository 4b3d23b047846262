package dev.vidqa.frames;

import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCachedContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

import org.bytedeco.ffmpeg.avutil.AVBufferRef;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Decoded pictures (any pixel format) to packed RGB24, only for the frames that are kept.
 *
 * <p>swscale's SIMD YUV-to-RGB path refuses odd heights and falls back to its generic scaler,
 * ~3x slower (the 720x405 sample video hits this). When the decoder's buffer provably holds the
 * next (padding) row, an even height is converted and the extra row dropped: the visible rows are
 * computed exactly as they would be, and only in the fast path.
 */
final class RgbConverter implements AutoCloseable {
    private SwsContext sws;
    private BytePointer dst;
    private int dstCapacity;

    byte[] convert(AVFrame pic) {
        int w = pic.width();
        int h = pic.height();
        int fmt = pic.format();
        int convH = h;
        if ((h & 1) == 1 && (fmt == avutil.AV_PIX_FMT_YUV420P || fmt == avutil.AV_PIX_FMT_YUVJ420P)
                && hasRows(pic, 0, h + 1) && hasRows(pic, 1, (h + 2) / 2) && hasRows(pic, 2, (h + 2) / 2)) {
            convH = h + 1;
        }
        sws = sws_getCachedContext(sws, w, convH, fmt, w, convH, avutil.AV_PIX_FMT_RGB24, SWS_BILINEAR,
                null, null, (DoublePointer) null);
        if (sws == null) {
            throw new IllegalStateException("swscale cannot convert pixel format "
                    + avutil.av_get_pix_fmt_name(fmt).getString() + " to RGB");
        }
        int stride = w * 3;
        int need = stride * convH;
        if (dst == null || dstCapacity < need) {
            if (dst != null) {
                avutil.av_free(dst);
            }
            dst = new BytePointer(avutil.av_malloc(need + 64));
            dstCapacity = need;
        }
        PointerPointer dstData = new PointerPointer(4).put(0, dst);
        IntPointer dstStride = new IntPointer(4).put(0, stride);
        try {
            sws_scale(sws, pic.data(), pic.linesize(), 0, convH, dstData, dstStride);
        } finally {
            dstData.close();
            dstStride.close();
        }
        byte[] rgb = new byte[stride * h];
        dst.position(0).get(rgb, 0, rgb.length);
        return rgb;
    }

    /** Whether plane {@code plane}'s buffer extends over {@code rows} rows of its line size. */
    private static boolean hasRows(AVFrame pic, int plane, int rows) {
        AVBufferRef buf = pic.buf(plane);
        BytePointer data = pic.data(plane);
        if (buf == null || buf.isNull() || data == null || data.isNull() || pic.linesize(plane) <= 0) {
            return false;
        }
        long start = buf.data().address();
        long end = start + buf.size();
        long from = data.address();
        long to = from + (long) pic.linesize(plane) * rows;
        return from >= start && to <= end;
    }

    @Override
    public void close() {
        if (sws != null) {
            sws_freeContext(sws);
            sws = null;
        }
        if (dst != null) {
            avutil.av_free(dst);
            dst = null;
        }
    }
}
