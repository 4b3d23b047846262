package dev.vidqa.topology.app;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The application's one HTTP port: {@code /metrics} (Prometheus text format), {@code /health}, and
 * whatever else is routed onto it (the live page). Requests run on a fixed pool: a page's
 * server-sent-event connection holds a thread, so the pool is sized for those plus short requests.
 */
public final class AppServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService pool;

    /**
     * @param health the health text; healthy when it starts with "UP"
     * @param threads request threads (long-lived event streams included)
     */
    public AppServer(int port, PrometheusMeterRegistry registry, Supplier<String> health, int threads) throws IOException {
        server = HttpServer.create(new InetSocketAddress(port), 0);
        server.createContext("/metrics", ex -> reply(ex, 200, registry.scrape(), "text/plain; version=0.0.4"));
        server.createContext("/health", ex -> {
            String h = health.get();
            reply(ex, h.startsWith("UP") ? 200 : 503, h + "\n", "text/plain");
        });
        AtomicInteger n = new AtomicInteger();
        pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "vidqa-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        server.start();
    }

    /** Metrics and health only (one request thread). */
    public AppServer(int port, PrometheusMeterRegistry registry, Supplier<String> health) throws IOException {
        this(port, registry, health, 1);
    }

    /** Serves {@code path} (and everything below it) with {@code handler}. */
    public void route(String path, HttpHandler handler) {
        server.createContext(path, handler);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void reply(HttpExchange ex, int code, String body, String type) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", type);
        ex.sendResponseHeaders(code, b.length);
        try (OutputStream o = ex.getResponseBody()) {
            o.write(b);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
