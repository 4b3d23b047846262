package dev.vidqa.qformer.testing;

import java.io.IOException;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Makes any attempt of the test JVM to open an http(s) URL or a connection to a host that is not
 * on this machine fail loudly, and records it. DJL downloads through {@link URL#openStream()};
 * with {@code ai.djl.offline=true} it must never get here.
 */
public final class NetworkGuard {
    private static final List<String> ATTEMPTS = new CopyOnWriteArrayList<>();
    private static volatile boolean installed;

    private NetworkGuard() {}

    public static synchronized void install() {
        if (installed) {
            return;
        }
        installed = true;
        try {
            URL.setURLStreamHandlerFactory(protocol -> {
                if (!protocol.equals("http") && !protocol.equals("https")) {
                    return null; // jar:, file:, ... keep their default handlers
                }
                return new URLStreamHandler() {
                    @Override
                    protected URLConnection openConnection(URL u) throws IOException {
                        ATTEMPTS.add(u.toString());
                        throw new IOException("test JVM is offline: refused to open " + u);
                    }
                };
            });
        } catch (Error alreadySet) {
            // another library set a factory first; the proxy selector below still records attempts
        }
        ProxySelector previous = ProxySelector.getDefault();
        ProxySelector.setDefault(new ProxySelector() {
            @Override
            public List<Proxy> select(URI uri) {
                String host = uri.getHost();
                if (host != null && !isLocal(host)) {
                    ATTEMPTS.add(uri.toString());
                    throw new IllegalStateException("test JVM is offline: refused to connect to " + uri);
                }
                return previous == null ? List.of(Proxy.NO_PROXY) : previous.select(uri);
            }

            @Override
            public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {}
        });
    }

    static boolean isLocal(String host) {
        // literal checks only: resolving a name would itself be a network request
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("[::1]")
                || host.equals("0.0.0.0");
    }

    /** URLs the JVM tried to reach since the guard was installed. */
    public static List<String> attempts() {
        return List.copyOf(ATTEMPTS);
    }
}
