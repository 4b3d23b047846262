package dev.vidqa.frames;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.junit.jupiter.api.Test;

/** The one way inputs are opened (the decoder and the chunker both use it). */
class FFmpegInputTest {
    @Test
    void networkReadsAreBoundedAndRtspGoesOverTcp() throws Exception {
        try (FFmpegFrameGrabber rtsp = FFmpegInput.create(new VideoSource.Url("rtsp://127.0.0.1:1/cam"), DecodeLimits.DEFAULTS)) {
            assertEquals("tcp", rtsp.getOption("rtsp_transport"));
            assertEquals("15000000", rtsp.getOption("timeout"));
            assertEquals("15000000", rtsp.getOption("rw_timeout"));
        }
        try (FFmpegFrameGrabber http = FFmpegInput.create(new VideoSource.Url("http://127.0.0.1:1/a.mp4"), DecodeLimits.DEFAULTS)) {
            assertEquals("15000000", http.getOption("rw_timeout"));
            assertNull(http.getOption("rtsp_transport"));
        }
    }

    @Test
    void aMissingFileOrARefusedConnectionIsNamedAndClassified() {
        VideoDecodeException missing = assertThrows(VideoDecodeException.class,
                () -> FFmpegInput.create(new VideoSource.File(Path.of("/no/such.mp4")), DecodeLimits.DEFAULTS));
        assertEquals(VideoDecodeException.Reason.UNREADABLE, missing.reason());
        assertTrue(missing.getMessage().contains("/no/such.mp4"), missing.getMessage());
        VideoSource refused = new VideoSource.Url("rtsp://127.0.0.1:1/cam");
        VideoDecodeException e = assertThrows(VideoDecodeException.class,
                () -> FFmpegInput.start(FFmpegInput.create(refused, DecodeLimits.DEFAULTS), refused));
        assertTrue(e.getMessage().contains("rtsp://127.0.0.1:1/cam"), e.getMessage());
    }
}
