package dev.vidqa.topology.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The live page's event stream: bounded in pages and in what waits for each. */
class EventHubTest {
    @Test
    void morePagesThanAllowedAreRefusedAndAClosedOneFreesItsPlace() {
        EventHub hub = new EventHub(2);
        EventHub.Subscriber a = hub.subscribe();
        EventHub.Subscriber b = hub.subscribe();
        assertNotNull(a);
        assertNotNull(b);
        assertNull(hub.subscribe(), "a third page while two are connected");
        a.close();
        assertNotNull(hub.subscribe(), "a page that went away frees its place");
    }

    @Test
    void eventsArriveInTheServerSentEventsWireFormInOrder() throws InterruptedException {
        EventHub hub = new EventHub(1);
        EventHub.Subscriber s = hub.subscribe();
        hub.publish("answer", "{\"a\":1}");
        hub.publish("incident", "{\"b\":\n2}");
        assertEquals("event: answer\ndata: {\"a\":1}\n\n", s.next(100));
        assertEquals("event: incident\ndata: {\"b\":\ndata: 2}\n\n", s.next(100), "a line break continues the data");
        assertNull(s.next(10), "nothing more");
    }

    @Test
    void aPageThatStopsReadingIsDroppedInsteadOfHoldingEventsWithoutBound() throws InterruptedException {
        EventHub hub = new EventHub(2);
        EventHub.Subscriber slow = hub.subscribe();
        EventHub.Subscriber fast = hub.subscribe();
        for (int i = 0; i < EventHub.QUEUE; i++) {
            hub.publish("answer", "{\"i\":" + i + "}");
            assertNotNull(fast.next(100));
        }
        assertFalse(slow.dropped(), "its queue is full, not over");
        hub.publish("answer", "{\"i\":-1}");
        assertTrue(slow.dropped(), "one more event than its queue holds");
        assertEquals(1, hub.clients(), "the slow page no longer counts");
        assertNotNull(fast.next(100), "the page that reads goes on");
    }
}
