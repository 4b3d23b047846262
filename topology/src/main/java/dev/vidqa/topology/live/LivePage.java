package dev.vidqa.topology.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import dev.vidqa.topology.app.AppServer;
import dev.vidqa.topology.app.VidqaApp;
import dev.vidqa.topology.app.VidqaConfig;
import dev.vidqa.topology.client.Clients;
import dev.vidqa.topology.client.CompactedTopic;
import dev.vidqa.topology.client.QuestionPublisher;
import dev.vidqa.topology.records.InvalidQuestionException;
import dev.vidqa.topology.records.Json;
import dev.vidqa.topology.records.QuestionRecord;
import dev.vidqa.topology.records.WatchRecord;
import dev.vidqa.topology.records.Window;
import dev.vidqa.topology.store.StoredFrame;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live page and its API on the application's HTTP port.
 *
 * <pre>
 * GET    /                               the page
 * GET    /api/streams                    every instance's streams, their watches' states
 * GET    /api/local/streams              this instance's (what the others ask)
 * GET    /api/streams/{id}/frame.png     a stream's newest stored frame, from the instance holding it
 * GET    /api/watches                    every watch
 * POST   /api/watches                    add (or replace) a watch: a watch record
 * DELETE /api/watches/{id}               remove one
 * GET    /api/answers, /api/incidents    the latest ones
 * POST   /api/ask                        {"streamId", "question", "latestSeconds"?, "candidates"?}: 202 {"id"}
 * GET    /api/events                     server-sent events: answer, incident, streams
 * </pre>
 */
public final class LivePage implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LivePage.class);
    /** A request body the page sends is a question or a watch: small. */
    static final int MAX_BODY = 64 << 10;
    static final long STREAMS_EVERY_MS = 1000;
    static final long KEEPALIVE_MS = 15_000;

    private final LocalState local;
    private final Cluster cluster;
    private final EventHub hub;
    private final LiveFeed feed;
    private final QuestionPublisher questions;
    private final CompactedTopic<WatchRecord> watches;
    private final ScheduledExecutorService ticker;
    private volatile String lastStreams = "";

    private LivePage(LocalState local, Cluster cluster, EventHub hub, LiveFeed feed, QuestionPublisher questions,
                     CompactedTopic<WatchRecord> watches) {
        this.local = local;
        this.cluster = cluster;
        this.hub = hub;
        this.feed = feed;
        this.questions = questions;
        this.watches = watches;
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vidqa-live-streams");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleWithFixedDelay(this::tick, STREAMS_EVERY_MS, STREAMS_EVERY_MS, TimeUnit.MILLISECONDS);
    }

    /** Serves the page of {@code app} on {@code server}. */
    public static LivePage serve(VidqaConfig config, VidqaApp app, AppServer server) {
        String advertised = config.streams().get("application.server");
        HostInfo self = advertised == null || advertised.isBlank() ? null : HostInfo.buildFromEndpoint(advertised);
        LocalState local = new LocalState(app.streams());
        Properties client = config.streamsProperties();
        EventHub hub = new EventHub(config.live().maxClients());
        LiveFeed feed = new LiveFeed(client, config.topics().answers().name(), config.topics().incidents().name(),
                config.live().recent(), hub);
        LivePage page = new LivePage(local, new Cluster(app.streams(), local, self), hub, feed,
                new QuestionPublisher(Clients.producerOnly(client), config.topics().questions().name()),
                new CompactedTopic<>(Clients.producerOnly(client), config.topics().watches().name(), WatchRecord.class));
        server.route("/api/", page::api);
        server.route("/", page::index);
        return page;
    }

    /** Tells the pages when any stream changed (new chunk, new frame, a watch's state). */
    private void tick() {
        if (hub.clients() == 0) {
            return;
        }
        try {
            String json = new String(Json.write(cluster.all()), StandardCharsets.UTF_8);
            if (!json.equals(lastStreams)) {
                lastStreams = json;
                hub.publish("streams", json);
            }
        } catch (InvalidStateStoreException e) {
            // rebalancing: the next beat shows it
        } catch (RuntimeException e) {
            LOG.warn("live page: streams not refreshed: {}", e.toString());
        }
    }

    private void index(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        if (!path.equals("/") && !path.equals("/index.html")) {
            send(ex, 404, "text/plain", ("no page " + path + "\n").getBytes(StandardCharsets.UTF_8));
            return;
        }
        try (InputStream in = LivePage.class.getResourceAsStream("/live/index.html")) {
            send(ex, 200, "text/html; charset=utf-8", in.readAllBytes());
        }
    }

    private void api(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getPath();
        try {
            if (method.equals("GET") && path.equals("/api/events")) {
                events(ex);
            } else if (method.equals("GET") && path.equals("/api/streams")) {
                json(ex, 200, cluster.all());
            } else if (method.equals("GET") && path.equals("/api/local/streams")) {
                json(ex, 200, local.streams(cluster.selfName()));
            } else if (method.equals("GET") && path.startsWith("/api/streams/") && path.endsWith("/frame.png")) {
                frame(ex, decode(path.substring("/api/streams/".length(), path.length() - "/frame.png".length())));
            } else if (method.equals("GET") && path.equals("/api/watches")) {
                json(ex, 200, local.watches());
            } else if (method.equals("POST") && path.equals("/api/watches")) {
                addWatch(ex);
            } else if (method.equals("DELETE") && path.startsWith("/api/watches/")) {
                String id = decode(path.substring("/api/watches/".length()));
                watches.remove(id);
                json(ex, 200, Map.of("removed", id));
            } else if (method.equals("GET") && path.equals("/api/answers")) {
                json(ex, 200, feed.answers());
            } else if (method.equals("GET") && path.equals("/api/incidents")) {
                json(ex, 200, feed.incidents());
            } else if (method.equals("POST") && path.equals("/api/ask")) {
                ask(ex);
            } else {
                json(ex, 404, Map.of("error", "no " + method + " " + path));
            }
        } catch (InvalidQuestionException | IllegalArgumentException | com.fasterxml.jackson.core.JacksonException e) {
            json(ex, 400, Map.of("error", e.getMessage() == null ? e.toString() : e.getMessage()));
        } catch (InvalidStateStoreException e) {
            json(ex, 503, Map.of("error", "the application's state is not queryable now (starting or rebalancing)"));
        } catch (Cluster.RemoteException e) {
            // the instance holding the stream did not answer (or no longer holds it: tasks moved)
            json(ex, 502, Map.of("error", e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            json(ex, 503, Map.of("error", "interrupted"));
        } catch (ExecutionException | RuntimeException e) {
            LOG.warn("live page: {} {} failed", method, path, e);
            json(ex, 500, Map.of("error", String.valueOf(e.getMessage())));
        }
    }

    private void frame(HttpExchange ex, String streamId) throws IOException {
        boolean localOnly = "local=true".equals(ex.getRequestURI().getQuery());
        HostInfo owner = localOnly ? null : cluster.ownerOf(streamId);
        if (owner != null) {
            byte[] png = cluster.remoteFrame(owner, streamId);
            if (png == null) {
                json(ex, 404, Map.of("error", "no frame of stream " + streamId));
            } else {
                send(ex, 200, "image/png", png);
            }
            return;
        }
        StoredFrame f = local.latestFrame(streamId);
        if (f == null) {
            json(ex, 404, Map.of("error", "no frame of stream " + streamId + " here"));
            return;
        }
        ex.getResponseHeaders().add("Cache-Control", "no-store");
        ex.getResponseHeaders().add("X-Frame-Time", Double.toString(f.time()));
        send(ex, 200, "image/png", FramePng.encode(f));
    }

    private void addWatch(HttpExchange ex) throws IOException, InterruptedException, ExecutionException {
        WatchRecord w = Json.MAPPER.readValue(body(ex), WatchRecord.class);
        w.validate(); // a watch that could never run does not reach the topic
        watches.put(w.id(), w);
        json(ex, 200, w);
    }

    private void ask(HttpExchange ex) throws IOException, InterruptedException, ExecutionException {
        JsonNode n = Json.MAPPER.readTree(body(ex));
        double seconds = n.path("latestSeconds").asDouble(4.0);
        List<String> candidates = n.hasNonNull("candidates")
                ? Json.MAPPER.convertValue(n.get("candidates"), new com.fasterxml.jackson.core.type.TypeReference<List<String>>() { })
                : null;
        QuestionRecord q = new QuestionRecord("live-" + UUID.randomUUID(), text(n, "streamId"), text(n, "question"),
                Window.latest(seconds), candidates == null || candidates.isEmpty() ? null : candidates, null);
        q.validate();
        questions.send(q);
        json(ex, 202, Map.of("id", q.id()));
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new IllegalArgumentException(field + " is required");
        }
        return v.asText();
    }

    private void events(HttpExchange ex) throws IOException, InterruptedException {
        EventHub.Subscriber s = hub.subscribe();
        if (s == null) {
            json(ex, 503, Map.of("error", "too many pages connected (vidqa.live.max-clients)"));
            return;
        }
        try (s) {
            ex.getResponseHeaders().add("Content-Type", "text/event-stream");
            ex.getResponseHeaders().add("Cache-Control", "no-store");
            ex.sendResponseHeaders(200, 0);
            try (OutputStream out = ex.getResponseBody()) {
                // the current streams first: a page does not wait for the next change to show them
                String first = "retry: 2000\n\n" + "event: streams\ndata: "
                        + new String(Json.write(safeStreams()), StandardCharsets.UTF_8) + "\n\n";
                out.write(first.getBytes(StandardCharsets.UTF_8));
                out.flush();
                while (!s.dropped()) {
                    String e = s.next(KEEPALIVE_MS);
                    out.write((e == null ? ": keep-alive\n\n" : e).getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            } catch (IOException closedByThePage) {
                // the page went away
            }
        }
    }

    private Object safeStreams() {
        try {
            return cluster.all();
        } catch (InvalidStateStoreException e) {
            return new Cluster.Streams(List.of(), List.of());
        }
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static byte[] body(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            byte[] b = in.readNBytes(MAX_BODY + 1);
            if (b.length > MAX_BODY) {
                throw new IllegalArgumentException("request body over " + MAX_BODY + " bytes");
            }
            return b;
        }
    }

    private static void json(HttpExchange ex, int code, Object value) throws IOException {
        send(ex, code, "application/json", Json.write(value));
    }

    private static void send(HttpExchange ex, int code, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().add("Content-Type", type);
        ex.sendResponseHeaders(code, body.length == 0 ? -1 : body.length);
        try (OutputStream o = ex.getResponseBody()) {
            o.write(body);
        }
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        feed.close();
        questions.close();
    }
}
