package dev.vidqa.topology.live;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.vidqa.topology.app.VideoQaProcessor;
import dev.vidqa.topology.records.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Every instance's streams, seen from any one: this instance's from its own stores, the others'
 * over HTTP from the address each advertises ({@code application.server}). Without that setting
 * there is one instance and everything is local.
 */
public final class Cluster {
    static final Duration REMOTE_TIMEOUT = Duration.ofSeconds(2);

    private final KafkaStreams streams;
    private final LocalState local;
    private final HostInfo self;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(REMOTE_TIMEOUT).build();

    /** @param self this instance's {@code application.server}, or null when it has none */
    public Cluster(KafkaStreams streams, LocalState local, HostInfo self) {
        this.streams = streams;
        this.local = local;
        this.self = self;
    }

    /** Another instance did not give what it was asked for. */
    public static final class RemoteException extends IOException {
        RemoteException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The streams of every instance, by id, and the instances that did not answer. */
    public record Streams(List<StreamView> streams, List<String> unreachable) {}

    public Streams all() {
        List<StreamView> out = new ArrayList<>(local.streams(selfName()));
        List<String> unreachable = new ArrayList<>();
        for (HostInfo h : others()) {
            try {
                byte[] body = get(h, "/api/local/streams");
                out.addAll(Json.STATE.readValue(body, new TypeReference<List<StreamView>>() { }));
            } catch (IOException e) {
                unreachable.add(name(h)); // shown on the page; its streams come back when it does
            }
        }
        out.sort(Comparator.comparing(StreamView::streamId));
        return new Streams(out, unreachable);
    }

    /** The instances other than this one that run the application. */
    List<HostInfo> others() {
        if (self == null) {
            return List.of();
        }
        return streams.metadataForAllStreamsClients().stream().map(StreamsMetadata::hostInfo)
                .filter(h -> !h.equals(self) && h.port() > 0).distinct().toList();
    }

    /**
     * The instance holding {@code streamId}'s stores, or null when it is this one (or unknown: then
     * this one answers what it has). Stores are keyed as the chunks topic is, by stream id.
     */
    public HostInfo ownerOf(String streamId) {
        if (self == null) {
            return null;
        }
        KeyQueryMetadata m = streams.queryMetadataForKey(VideoQaProcessor.STREAMS_STORE, streamId, new StringSerializer());
        if (m == null || m == KeyQueryMetadata.NOT_AVAILABLE || m.activeHost().equals(self)) {
            return null;
        }
        return m.activeHost();
    }

    /**
     * The newest frame of a stream another instance holds, as that instance serves it (PNG), or null
     * when it has no frame of that stream.
     */
    public byte[] remoteFrame(HostInfo owner, String streamId) throws RemoteException {
        String path = "/api/streams/" + URLEncoder.encode(streamId, StandardCharsets.UTF_8).replace("+", "%20")
                + "/frame.png?local=true";
        try {
            HttpResponse<byte[]> r = send(owner, path);
            if (r.statusCode() == 404) {
                return null;
            }
            if (r.statusCode() != 200) {
                throw new IOException(name(owner) + path + ": HTTP " + r.statusCode());
            }
            return r.body();
        } catch (IOException e) {
            throw new RemoteException("the frame of " + streamId + " from " + name(owner) + ": " + e.getMessage(), e);
        }
    }

    private byte[] get(HostInfo h, String path) throws IOException {
        HttpResponse<byte[]> r = send(h, path);
        if (r.statusCode() != 200) {
            throw new IOException(name(h) + path + ": HTTP " + r.statusCode());
        }
        return r.body();
    }

    private HttpResponse<byte[]> send(HostInfo h, String path) throws IOException {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://" + h.host() + ":" + h.port() + path))
                .timeout(REMOTE_TIMEOUT).GET().build();
        try {
            return http.send(req, HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted asking " + name(h), e);
        }
    }

    String selfName() {
        return self == null ? "this instance" : name(self);
    }

    private static String name(HostInfo h) {
        return h.host() + ":" + h.port();
    }
}
