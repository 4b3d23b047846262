package dev.vidqa.topology.app;

import dev.vidqa.frames.DecodedFrame;
import dev.vidqa.frames.ImagePreprocessor;
import dev.vidqa.frames.SampledVideo;
import dev.vidqa.frames.SamplingSpec;
import dev.vidqa.frames.VideoDecodeException;
import dev.vidqa.frames.VideoDecoder;
import dev.vidqa.frames.VideoSource;
import dev.vidqa.ingest.ChunkHeaders;
import dev.vidqa.topology.failure.InvalidMediaException;
import dev.vidqa.topology.failure.InvalidRequestException;
import dev.vidqa.topology.failure.VidqaException;
import dev.vidqa.topology.store.FrameStore;
import dev.vidqa.topology.store.StoredFrame;
import dev.vidqa.topology.store.StreamInfo;
import dev.vidqa.topology.store.StreamInfoStore;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.KeyValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chunk path: decode → store → stream info. A chunk is decoded and sampled at
 * {@code vidqa.frames.store-fps}, each frame resized to the model's input as it is decoded and put
 * in the frame store at its stream time; the stream's info (span, clips) follows, and frames older
 * than the retention are dropped. Streams that stop are forgotten after the idle expiry.
 */
final class ChunkPath {
    private static final Logger LOG = LoggerFactory.getLogger(ChunkPath.class);

    /** How far a chunk may start before the stream's latest end without counting as a restart. */
    static final double RESTART_TOLERANCE_SECONDS = 1.0;

    private final VidqaConfig.Frames config;
    private final int imageSize;
    private final VideoDecoder decoder;
    private final ImagePreprocessor resizer;
    private final FrameStore frames;
    private final StreamInfoStore streams;
    private final VidqaMetrics metrics;

    ChunkPath(VidqaConfig.Frames config, int imageSize, FrameStore frames, StreamInfoStore streams, VidqaMetrics metrics) {
        this.config = config;
        this.imageSize = imageSize;
        this.decoder = new VideoDecoder(config.decode());
        this.resizer = new ImagePreprocessor(imageSize);
        this.frames = frames;
        this.streams = streams;
        this.metrics = metrics;
    }

    /**
     * A stored chunk: the stream's new info, whether the chunk began the stream anew, and when it was
     * cut (its {@code vidqa.wallclock} header, epoch ms; null when absent or not a time).
     */
    record Stored(StreamInfo info, boolean restarted, Long cutAt) {}

    /**
     * Stores a chunk's frames and returns the stream's new info; a chunk that cannot be used raises
     * a {@link VidqaException} (its kind and message go to the dead letter) and changes nothing.
     */
    Stored accept(String streamId, Headers h, byte[] bytes, long now) {
        StreamInfo info = streams.get(streamId);
        info = info == null ? StreamInfo.empty() : info;
        double start = number(h, ChunkHeaders.START, info.chunks() == 0 ? 0 : info.latestEnd());
        Double end = h.lastHeader(ChunkHeaders.END) == null ? null : number(h, ChunkHeaders.END, 0);
        String clip = ChunkHeaders.get(h, ChunkHeaders.CLIP);
        SampledVideo video = decode(streamId, bytes, ChunkHeaders.get(h, ChunkHeaders.CONTAINER));
        boolean restarted = false;
        if (info.chunks() > 0 && start < info.latestEnd() - RESTART_TOLERANCE_SECONDS) {
            // stream time went back: the stream was ingested anew (a camera restarted, a file re-sent)
            LOG.info("stream {} restarted at {} s (it had reached {} s): forgetting its old frames and clips", streamId,
                    start, info.latestEnd());
            forget(streamId);
            info = StreamInfo.empty();
            restarted = true;
        } else if (clip != null && info.clips().containsKey(clip) && info.clips().get(clip).ended()) {
            // a clip whose last chunk arrived before is being ingested again: its old state must not answer
            LOG.info("clip {} of stream {} is ingested again: resetting it", clip, streamId);
            info = info.withoutClip(clip);
        }
        Map<DecodedFrame, Boolean> seen = new IdentityHashMap<>();
        double last = start;
        for (DecodedFrame f : video.frames()) {
            if (seen.put(f, Boolean.TRUE) != null) {
                continue; // a repeated pick
            }
            double t = start + f.timestamp();
            last = Math.max(last, t);
            frames.put(new StoredFrame(streamId, t, clip, imageSize, f.rgb()));
        }
        double chunkEnd = end != null ? end : last + 1.0 / Math.max(1, video.info().frameRate());
        boolean clipEnd = "true".equals(ChunkHeaders.get(h, ChunkHeaders.CLIP_END));
        info = forgetOld(streamId, info.withChunk(start, chunkEnd, clip, clipEnd, now));
        streams.put(streamId, info);
        metrics.chunkDecoded(video.totalFrames(), seen.size());
        String cut = ChunkHeaders.get(h, ChunkHeaders.WALL_CLOCK);
        // only informative (the lag behind live): a bad value is not a reason to refuse the chunk
        return new Stored(info, restarted, cut != null && cut.matches("\\d{1,18}") ? Long.valueOf(cut) : null);
    }

    private SampledVideo decode(String streamId, byte[] bytes, String container) {
        try {
            // each frame is resized to the model's input as soon as it is decoded: a chunk never holds
            // its frames at full size (8K is 100 MB a frame), and the pixels are those of a direct answer
            return decoder.sample(new VideoSource.Bytes(bytes, container, "chunk of " + streamId),
                    SamplingSpec.fps(config.storeFps(), 0), f -> new DecodedFrame(f.index(), f.timestamp(), imageSize,
                            imageSize, resizer.resize(f.rgb(), f.width(), f.height())));
        } catch (VideoDecodeException e) {
            throw new InvalidMediaException(e.getMessage(), e);
        } catch (OutOfMemoryError e) {
            // the decode's own allocations are garbage now; failing the thread would only read this record again
            throw new InvalidMediaException("decoding ran out of memory (" + e.getMessage()
                    + "); lower vidqa.decode.max-held-pixels or give the JVM more heap", e);
        }
    }

    /** Deletes every stored frame and the info of a stream. */
    void forget(String streamId) {
        frames.forget(streamId);
        streams.delete(streamId);
    }

    /** Drops frames older than the retention behind the stream's latest time. */
    private StreamInfo forgetOld(String streamId, StreamInfo info) {
        double cutoff = info.latestEnd() - config.retentionSeconds();
        if (cutoff <= 0 || info.firstStart() >= cutoff) {
            return info;
        }
        frames.forgetBefore(streamId, cutoff);
        return info.prune(cutoff);
    }

    /**
     * Retention works in stream time and runs when a stream sends a chunk, so a stream that stops
     * would keep its frames for ever: streams that sent nothing for {@code vidqa.frames.idle-expiry-seconds}
     * of wall-clock time are forgotten, frames and info. Returns which.
     */
    List<String> expireIdle(long now) {
        List<String> idle = new ArrayList<>();
        for (KeyValue<String, StreamInfo> kv : streams.all()) {
            if (kv.value.lastChunkAt() == 0) {
                streams.put(kv.key, kv.value.touchedAt(now)); // stored before this field existed: the clock starts now
            } else if (now - kv.value.lastChunkAt() > config.idleExpiry().toMillis()) {
                idle.add(kv.key);
            }
        }
        for (String s : idle) {
            LOG.info("stream {} sent nothing for {} s: forgetting its frames", s, config.idleExpiry().toSeconds());
            forget(s);
        }
        metrics.streamsExpired(idle.size());
        return idle;
    }

    private static double number(Headers h, String key, double def) {
        String v = ChunkHeaders.get(h, key);
        if (v == null) {
            return def;
        }
        try {
            double d = Double.parseDouble(v);
            if (!Double.isFinite(d) || d < 0) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("header " + key + " is not a time in seconds: '" + v + "'");
        }
    }
}
