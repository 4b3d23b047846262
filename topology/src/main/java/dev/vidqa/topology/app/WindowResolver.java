package dev.vidqa.topology.app;

import dev.vidqa.topology.records.Window;
import dev.vidqa.topology.store.StreamInfo;
import java.util.Locale;

/**
 * Where a question's window lies in its stream, from what is known of the stream: pure, no store.
 * A clip window is covered when the clip's last chunk arrived; the latest N seconds as soon as the
 * stream has any chunk; a span when the stream reached its end.
 */
final class WindowResolver {
    private WindowResolver() {}

    /**
     * A window placed in stream time: {@code [from, to)}, of one clip when {@code clip} is set;
     * {@code covered} when every frame it will ever have is there.
     */
    record Span(double from, double to, String clip, boolean covered) {}

    /** @param info the stream's info, null when nothing of it arrived */
    static Span resolve(Window w, StreamInfo info) {
        return switch (w.kind()) {
            case CLIP -> {
                StreamInfo.Clip clip = info == null ? null : info.clips().get(w.clip());
                yield clip == null ? new Span(0, 0, w.clip(), false) : new Span(clip.start(), clip.end(), w.clip(), clip.ended());
            }
            case LATEST -> {
                double to = info == null ? 0 : info.latestEnd();
                yield new Span(Math.max(0, to - w.latestSeconds()), to, null, info != null && info.chunks() > 0);
            }
            case RANGE -> new Span(w.from(), w.to(), null, info != null && info.latestEnd() >= w.to());
        };
    }

    /** The window in words, for a {@code no-frames} answer. */
    static String describe(Window w, Span s) {
        return switch (w.kind()) {
            case CLIP -> "clip '" + w.clip() + "'";
            case LATEST -> "the latest " + w.latestSeconds() + " s";
            case RANGE -> String.format(Locale.ROOT, "[%.2f, %.2f] s", s.from(), s.to());
        };
    }
}
