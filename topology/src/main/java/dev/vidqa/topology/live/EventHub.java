package dev.vidqa.topology.live;

import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The pages connected for server-sent events, at most {@code maxClients}. Each has a bounded queue:
 * a page that stops reading is dropped (its browser reconnects and reloads), it never makes the
 * application hold events without bound.
 */
public final class EventHub {
    static final int QUEUE = 512;

    private final int maxClients;
    private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();

    public EventHub(int maxClients) {
        this.maxClients = maxClients;
    }

    /** One connected page. */
    public final class Subscriber implements AutoCloseable {
        private final BlockingQueue<String> queue = new ArrayBlockingQueue<>(QUEUE);
        private volatile boolean dropped;

        /** The next event in the SSE wire form, or null when none came within {@code millis}. */
        public String next(long millis) throws InterruptedException {
            return queue.poll(millis, TimeUnit.MILLISECONDS);
        }

        public boolean dropped() {
            return dropped;
        }

        void offer(String event) {
            if (!queue.offer(event)) {
                dropped = true;
                subscribers.remove(this);
            }
        }

        @Override
        public void close() {
            subscribers.remove(this);
        }
    }

    /** A new subscriber, or null when {@code maxClients} pages are connected already. */
    public synchronized Subscriber subscribe() {
        if (subscribers.size() >= maxClients) {
            return null;
        }
        Subscriber s = new Subscriber();
        subscribers.add(s);
        return s;
    }

    public int clients() {
        return subscribers.size();
    }

    /** Sends {@code json} as event {@code name} to every page. */
    public void publish(String name, String json) {
        String wire = "event: " + name + "\ndata: " + json.replace("\n", "\ndata: ") + "\n\n";
        for (Subscriber s : subscribers) {
            s.offer(wire);
        }
    }
}
