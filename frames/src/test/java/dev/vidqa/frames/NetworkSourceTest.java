package dev.vidqa.frames;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** URLs that FFmpeg reads itself, served from this JVM on loopback. */
class NetworkSourceTest {
    @TempDir
    Path tmp;

    Path clip(int frames) throws Exception {
        Path p = tmp.resolve("clip-" + frames + ".ts");
        SyntheticVideo.write(p, new SyntheticVideo.Spec(160, 96, 25, frames, 25, "mpegts", avcodec.AV_CODEC_ID_H264,
                avutil.AV_PIX_FMT_YUV420P, Map.of(), false));
        return p;
    }

    @Test
    void httpUrlIsSampledLikeAFile() throws Exception {
        byte[] bytes = Files.readAllBytes(clip(100));
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/clip.ts", ex -> {
            ex.sendResponseHeaders(200, bytes.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(bytes);
            }
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/clip.ts";
            SampledVideo v = new VideoDecoder().sample(VideoSource.of(url), SamplingSpec.uniform(4));
            assertArrayEquals(new int[] {0, 25, 50, 75}, v.frames().stream().mapToInt(SyntheticVideo::readIndex).toArray());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void liveTcpStreamIsCapturedForAWindow() throws Exception {
        byte[] bytes = Files.readAllBytes(clip(250)); // 10 s, sent in real time: a live feed
        try (ServerSocket ss = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Thread feeder = new Thread(() -> {
                try (Socket s = ss.accept(); OutputStream o = s.getOutputStream()) {
                    long t0 = System.nanoTime();
                    int chunk = 188 * 20;
                    for (int at = 0; at < bytes.length; at += chunk) {
                        o.write(bytes, at, Math.min(chunk, bytes.length - at));
                        o.flush();
                        double due = (double) at / bytes.length * 10.0;
                        long wait = (long) (due * 1000) - (System.nanoTime() - t0) / 1_000_000;
                        if (wait > 0) {
                            Thread.sleep(wait);
                        }
                    }
                } catch (Exception e) {
                    // the client hung up after its window: expected
                }
            });
            feeder.setDaemon(true);
            feeder.start();
            String url = "tcp://127.0.0.1:" + ss.getLocalPort();
            long t0 = System.nanoTime();
            SampledVideo v = new VideoDecoder().capture(VideoSource.of(url), Duration.ofMillis(1500), SamplingSpec.fps(2, 0));
            double wall = (System.nanoTime() - t0) / 1e9;
            int[] idx = v.frames().stream().mapToInt(SyntheticVideo::readIndex).toArray();
            assertEquals(4, idx.length, "ticks at 0, 0.5, 1.0, 1.5 s");
            for (int i = 1; i < idx.length; i++) {
                int step = idx[i] - idx[i - 1];
                assertTrue(step >= 12 && step <= 13, "half a second apart at 25 fps: " + java.util.Arrays.toString(idx));
            }
            assertTrue(wall >= 1.0, "a live window takes its time (" + wall + " s)");
        }
    }

    @Test
    void aRefusedConnectionIsUnreadable() throws Exception {
        int port;
        try (ServerSocket ss = new ServerSocket(0)) {
            port = ss.getLocalPort();
        }
        VideoDecodeException e = assertThrows(VideoDecodeException.class, () -> new VideoDecoder()
                .capture(VideoSource.of("tcp://127.0.0.1:" + port), Duration.ofSeconds(1), SamplingSpec.uniform(2)));
        assertEquals(VideoDecodeException.Reason.UNREADABLE, e.reason(), e.getMessage());
    }
}
