package dev.vidqa.frames;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/** Where frames come from: a file, an in-memory chunk, or a URL that FFmpeg reads (possibly live). */
public sealed interface VideoSource {

    /** A short description for messages: the path, the URL, or the chunk's size and format. */
    String describe();

    record File(Path path) implements VideoSource {
        public File {
            Objects.requireNonNull(path, "path");
        }

        @Override
        public String describe() {
            return path.toString();
        }
    }

    /**
     * @param formatHint FFmpeg's short name of the container ({@code mpegts}, {@code mp4},
     *     {@code matroska}, {@code mpeg}) or null to probe
     */
    record Bytes(byte[] data, String formatHint, String name) implements VideoSource {
        public Bytes {
            Objects.requireNonNull(data, "data");
        }

        @Override
        public String describe() {
            return (name == null ? "chunk" : name) + " (" + data.length + " bytes" + (formatHint == null ? ""
                    : ", " + formatHint) + ")";
        }
    }

    /** rtsp://, rtmp://, udp://, tcp://, srt://, http(s)://, file: ... read by FFmpeg itself. */
    record Url(String url) implements VideoSource {
        public Url {
            Objects.requireNonNull(url, "url");
        }

        @Override
        public String describe() {
            return url;
        }

        /** Network protocols whose streams may never end. */
        public boolean live() {
            String u = url.toLowerCase(Locale.ROOT);
            return u.startsWith("rtsp") || u.startsWith("rtmp") || u.startsWith("udp:") || u.startsWith("tcp:")
                    || u.startsWith("srt:") || u.startsWith("rtp:");
        }
    }

    /** A path, or a URL when the string has a scheme. */
    static VideoSource of(String fileOrUrl) {
        if (fileOrUrl.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*") && !Files.exists(Path.of(fileOrUrl))) {
            return new Url(fileOrUrl);
        }
        return new File(Path.of(fileOrUrl));
    }

    static VideoSource bytes(byte[] data, String formatHint) {
        return new Bytes(data, formatHint, null);
    }
}
