package dev.vidqa.ingest;

import dev.vidqa.frames.VideoDecodeException;
import dev.vidqa.frames.VideoSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds a stream: a file, every video file of a directory (one clip each, one after the other in
 * stream time), or a live URL (until stopped), cut into keyframe-aligned chunks and published.
 */
public final class Ingestor {
    private static final Logger LOG = LoggerFactory.getLogger(Ingestor.class);
    private static final List<String> VIDEO_EXTENSIONS = List.of(".mp4", ".mov", ".mkv", ".webm", ".avi", ".ts",
            ".mpg", ".mpeg", ".m4v", ".flv", ".3gp");

    private final Chunker chunker;
    private final Chunker.Sink sink;
    private final AtomicBoolean stopped = new AtomicBoolean();

    public Ingestor(Chunker chunker, Chunker.Sink sink) {
        this.chunker = chunker;
        this.sink = sink;
    }

    /** Makes a running {@link #ingest} return after the current chunk (e.g. from a shutdown hook). */
    public void stop() {
        stopped.set(true);
    }

    /** What was ingested. */
    public record Summary(int clips, long chunks, double streamSeconds) {}

    public Summary ingest(String streamId, String fileDirOrUrl) throws VideoDecodeException, IOException {
        VideoSource source = VideoSource.of(fileDirOrUrl);
        if (source instanceof VideoSource.File f && Files.isDirectory(f.path())) {
            List<Path> files;
            try (Stream<Path> s = Files.list(f.path())) {
                files = s.filter(Ingestor::isVideo).sorted().toList();
            }
            if (files.isEmpty()) {
                throw new IOException(f.path() + ": no video files (" + String.join(", ", VIDEO_EXTENSIONS) + ")");
            }
            double offset = 0;
            long chunks = 0;
            int clips = 0;
            for (Path file : files) {
                if (stopped.get()) {
                    break;
                }
                Summary s = ingestOne(streamId, new VideoSource.File(file), file.getFileName().toString(), offset, chunks);
                offset += s.streamSeconds();
                chunks += s.chunks();
                clips++;
            }
            return new Summary(clips, chunks, offset);
        }
        String clip = source instanceof VideoSource.File f ? f.path().getFileName().toString() : streamId;
        return ingestOne(streamId, source, clip, 0, 0);
    }

    private Summary ingestOne(String streamId, VideoSource source, String clip, double offset, long firstSeq)
            throws VideoDecodeException {
        double[] end = {0};
        long n = chunker.cut(source, streamId, clip, firstSeq, c -> {
            Chunk shifted = new Chunk(c.streamId(), c.sequence(), c.data(), c.container(), c.start() + offset,
                    c.end() + offset, c.wallClockMillis(), c.clip(), c.lastOfClip());
            end[0] = c.end();
            sink.accept(shifted);
            LOG.debug("chunk {} of {}: {}-{} s, {} bytes", shifted.sequence(), clip, shifted.start(), shifted.end(),
                    c.data().length);
        }, stopped::get);
        return new Summary(1, n, end[0]);
    }

    static boolean isVideo(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return Files.isRegularFile(p) && VIDEO_EXTENSIONS.stream().anyMatch(name::endsWith);
    }
}
