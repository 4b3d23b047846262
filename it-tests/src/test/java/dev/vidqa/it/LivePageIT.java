package dev.vidqa.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vidqa.answerer.InstructBlipVideo;
import dev.vidqa.frames.world.Attributes;
import dev.vidqa.frames.world.Scene;
import dev.vidqa.frames.world.WorldObject;
import dev.vidqa.frames.world.WorldSplit;
import dev.vidqa.frames.world.WorldWriter;
import dev.vidqa.ingest.ChunkPublisher;
import dev.vidqa.ingest.Chunker;
import dev.vidqa.ingest.Ingestor;
import dev.vidqa.qformer.DeviceChoice;
import dev.vidqa.qformer.testing.RepoPaths;
import dev.vidqa.topology.app.AppServer;
import dev.vidqa.topology.app.TopicAdmin;
import dev.vidqa.topology.app.VidqaApp;
import dev.vidqa.topology.app.VidqaConfig;
import dev.vidqa.topology.client.AnswerWatcher;
import dev.vidqa.topology.client.CompactedTopic;
import dev.vidqa.topology.live.LivePage;
import dev.vidqa.topology.pipeline.ModelQaEngine;
import dev.vidqa.topology.records.WatchRecord;
import dev.vidqa.topology.records.Window;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.Rectangle;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The live page in a real browser (Debian's headless Chromium through its chromedriver; {@code
 * .ci/run} installs them): the shipped world model watches a generated feed for "is there a red
 * triangle?"; the page shows the stream with its newest frame, and the incident appears when the
 * scene triggers it and closes when the scene ends it, at the scene's true times. The screenshots
 * are checked pixel by pixel (the frame's colours, the incident's red and grey) and kept under
 * {@code target/live-page}. An incident the model opens where the scene shows no red triangle has a
 * row of its own beside the true one and does not fail the page's test.
 */
class LivePageIT extends BrokerTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    static final Path MODEL = RepoPaths.root().resolve("topology/models/vidqa-world-t5");
    static final String STREAM = "world-cam";
    static final double EVERY = 6.0;
    /** The page's colours of an open incident's badge and a closed one's (index.html: --open, --closed). */
    static final int[] OPEN_RED = {0xe5, 0x48, 0x4d};
    static final int[] CLOSED_GREY = {0x7a, 0x87, 0x94};

    @Test
    void thePageShowsTheStreamAndTheIncidentTheSceneTriggersAtItsTrueTimes() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
                "headless Chromium not installed (apt-get install chromium chromium-driver; .ci/run does)");
        Path shots = RepoPaths.root().resolve("it-tests/target/live-page");
        Files.createDirectories(shots);
        // the feed, and the truth of "is there a red triangle?" for each 6 s clip, from the scenes
        Path feed = tmp.resolve("feed");
        WorldWriter.write(feed, new WorldWriter.Spec(2027, 6, WorldSplit.HELDOUT, 160, 120, 10, 6.0, 2));
        List<Boolean> shown = new ArrayList<>();
        for (Scene s : WorldWriter.readScenes(feed.resolve("scenes.jsonl"))) {
            boolean any = false;
            for (WorldObject o : s.objects()) {
                any |= o.color() == Attributes.Colour.RED && o.shape() == Attributes.Shape.TRIANGLE;
            }
            shown.add(any);
        }
        int firstYes = shown.indexOf(true);
        int firstNoAfter = shown.subList(firstYes, shown.size()).indexOf(false) + firstYes;
        assumeTrue(firstYes >= 0 && firstNoAfter > firstYes, "the generated feed shows a red triangle, then not");
        double trueFrom = EVERY * (firstYes + 1);
        double trueTo = EVERY * firstNoAfter; // the last evaluation that saw it

        int port = freePort();
        Properties p = application("page-" + UUID.randomUUID().toString().substring(0, 6), "state");
        p.put("vidqa.topics.partitions", "2");
        p.put("vidqa.frames.store-fps", "10");
        p.put("vidqa.model.dir", MODEL.toString());
        p.put("vidqa.metrics.port", Integer.toString(port));
        VidqaConfig c = VidqaConfig.from(p);
        Properties client = client();
        TopicAdmin.ensure(client, c.topics(), 2, (short) 1);
        WatchRecord watch = new WatchRecord("red-triangle", STREAM, null, "is there a red triangle?", EVERY,
                Window.latest(EVERY), null, null, new WatchRecord.Trigger(List.of("yes"), null), 1, 1);
        new CompactedTopic<>(client, c.topics().watches().name(), WatchRecord.class).put(watch.id(), watch);

        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        c.applyTorchThreads();
        WebDriver browser = null;
        try (ModelQaEngine engine = VidqaApp.engine(c, InstructBlipVideo.load(MODEL, DeviceChoice.CPU));
             VidqaApp app = VidqaApp.start(c, engine, registry);
             AppServer server = new AppServer(port, registry, app::health, 8);
             LivePage page = LivePage.serve(c, app, server);
             AnswerWatcher answers = new AnswerWatcher(client, c.topics().answers().name(), false);
             ChunkPublisher chunks = new ChunkPublisher(client, c.topics().chunks().name())) {
            assertTrue(app.awaitRunning(Duration.ofSeconds(90)));
            browser = chromium();
            browser.get("http://localhost:" + port + "/");
            await(browser, "the page connected", "return document.getElementById('conn').textContent === 'live'");

            // the feed clip by clip, no faster than the watch evaluates it (a live camera's pace)
            int[] clip = {0};
            boolean[] sawOpen = {false};
            WebDriver b = browser;
            new Ingestor(new Chunker(2.0), ch -> {
                chunks.publish(ch);
                if (!ch.lastOfClip()) {
                    return;
                }
                String id = String.format(Locale.ROOT, "watch/%s/%s/%.3f", watch.id(), STREAM, EVERY * ++clip[0]);
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                boolean[] done = {false};
                while (!done[0] && System.nanoTime() < deadline) {
                    answers.poll(Duration.ofMillis(100), a -> done[0] |= a.questionId().equals(id));
                }
                if (EVERY * clip[0] == trueFrom) {
                    // the scene just triggered the watch: the page shows the open incident
                    try {
                        checkOpenIncident(b, shots);
                        sawOpen[0] = true;
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            }).ingest(STREAM, feed.resolve("clips").toString());
            assertTrue(sawOpen[0], "the open incident was checked on the page");

            // the stream with its newest frame: the image on the page is the stored frame
            String frameUrl = "http://localhost:" + port + "/api/streams/" + STREAM + "/frame.png";
            await(browser, "the newest frame shown", "const i = document.querySelector('.stream[data-stream=\"" + STREAM
                    + "\"] img'); return i && i.complete && i.naturalWidth > 0 && Number(i.dataset.t) > 35.5");
            byte[] png = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(frameUrl)).build(),
                    HttpResponse.BodyHandlers.ofByteArray()).body();
            BufferedImage stored = ImageIO.read(new ByteArrayInputStream(png));
            BufferedImage shot = screenshot(browser, shots.resolve("stream.png"));
            WebElement img = browser.findElement(By.cssSelector(".stream[data-stream='" + STREAM + "'] img"));
            // block by block (8 x 8 blocks): a missing object, a stale or a blank frame each show in some block
            Rectangle r = img.getRect();
            double worst = 0;
            for (int by = 0; by < 8; by++) {
                for (int bx = 0; bx < 8; bx++) {
                    double[] onPage = mean(shot, new Rectangle(r.getX() + bx * r.getWidth() / 8, r.getY() + by * r.getHeight() / 8,
                            r.getHeight() / 8, r.getWidth() / 8));
                    double[] want = mean(stored, new Rectangle(bx * stored.getWidth() / 8, by * stored.getHeight() / 8,
                            stored.getHeight() / 8, stored.getWidth() / 8));
                    for (int ch = 0; ch < 3; ch++) {
                        worst = Math.max(worst, Math.abs(onPage[ch] - want[ch]));
                    }
                }
            }
            assertTrue(worst < 20, "the page shows the stored frame: the worst 8x8 block differs by " + worst + " levels");

            // the incident closed at the scene's true times. The model may also answer "yes" where the
            // scene has no red triangle (its accuracy is measured elsewhere): such an incident gets a
            // row of its own, so the true one is found by its span, not taken as the first row.
            String rows = ".incident[data-watch='" + watch.id() + "']";
            String span = String.format(Locale.ROOT, "%.1f–%.1f s", trueFrom, trueTo);
            await(browser, "the closed incident spanning " + span, "return [...document.querySelectorAll(\"" + rows
                    + "[data-state='closed']\")].some(r => r.innerText.includes('" + span + "'))");
            List<WebElement> closed = browser.findElements(By.cssSelector(rows + "[data-state='closed']")).stream()
                    .filter(e -> e.getText().contains(span)).toList();
            assertEquals(1, closed.size(), "one closed row spans the scene's " + span);
            WebElement row = closed.get(0);
            BufferedImage end = screenshot(browser, shots.resolve("incident-closed.png"));
            assertColour(end, row.findElement(By.cssSelector(".badge")).getRect(), CLOSED_GREY, "the closed badge");
            String from = String.format(Locale.ROOT, "%.1f–", trueFrom);
            List<String> all = browser.findElements(By.cssSelector(rows)).stream().map(WebElement::getText).toList();
            assertEquals(1, all.stream().filter(t -> t.contains(from)).count(),
                    "one row for the incident from " + from + " its closed record replaced the open one: " + all);
        } finally {
            if (browser != null) {
                browser.quit();
            }
        }
    }

    static void checkOpenIncident(WebDriver browser, Path shots) throws Exception {
        String open = ".incident[data-state='open']";
        await(browser, "the open incident", "return document.querySelector(\"" + open + "\") !== null");
        await(browser, "the stream card alerted", "return document.querySelector('.stream.alert') !== null");
        BufferedImage shot = screenshot(browser, shots.resolve("incident-open.png"));
        WebElement row = browser.findElement(By.cssSelector(open));
        assertColour(shot, row.findElement(By.cssSelector(".badge")).getRect(), OPEN_RED, "the open badge");
        assertColour(shot, row.findElement(By.cssSelector(".bar span")).getRect(), OPEN_RED, "the open incident's bar");
        assertTrue(row.getText().contains("now"), "an open incident runs until now: " + row.getText());
    }

    static WebDriver chromium() {
        ChromeOptions o = new ChromeOptions();
        o.setBinary(CHROMIUM.toFile());
        o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--force-device-scale-factor=1", "--window-size=1280,1000");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        return new ChromeDriver(service, o);
    }

    static void await(WebDriver browser, String what, String script) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (Boolean.TRUE.equals(((JavascriptExecutor) browser).executeScript(script))) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the page never showed " + what);
    }

    static BufferedImage screenshot(WebDriver browser, Path file) throws Exception {
        byte[] png = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
        Files.write(file, png);
        return ImageIO.read(new ByteArrayInputStream(png));
    }

    /** Mean R, G, B and the standard deviation of the grey level inside {@code r}. */
    static double[] mean(BufferedImage img, Rectangle r) {
        double[] s = new double[3];
        double g = 0;
        double g2 = 0;
        int n = 0;
        for (int y = r.getY(); y < r.getY() + r.getHeight() && y < img.getHeight(); y++) {
            for (int x = r.getX(); x < r.getX() + r.getWidth() && x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y);
                int[] c = {rgb >> 16 & 0xFF, rgb >> 8 & 0xFF, rgb & 0xFF};
                for (int k = 0; k < 3; k++) {
                    s[k] += c[k];
                }
                double grey = (c[0] + c[1] + c[2]) / 3.0;
                g += grey;
                g2 += grey * grey;
                n++;
            }
        }
        assertTrue(n > 0, "an element on screen: " + r);
        return new double[] {s[0] / n, s[1] / n, s[2] / n, Math.sqrt(Math.max(0, g2 / n - (g / n) * (g / n)))};
    }

    /** Most pixels of {@code r} (its text aside) are {@code rgb}. */
    static void assertColour(BufferedImage img, Rectangle r, int[] rgb, String what) {
        int near = 0;
        int n = 0;
        for (int y = r.getY(); y < r.getY() + r.getHeight(); y++) {
            for (int x = r.getX(); x < r.getX() + r.getWidth(); x++) {
                int p = img.getRGB(x, y);
                int d = Math.abs((p >> 16 & 0xFF) - rgb[0]) + Math.abs((p >> 8 & 0xFF) - rgb[1]) + Math.abs((p & 0xFF) - rgb[2]);
                near += d < 30 ? 1 : 0;
                n++;
            }
        }
        assertTrue(n > 0 && near > n / 2, what + ": " + near + " of " + n + " pixels of its colour");
    }
}
