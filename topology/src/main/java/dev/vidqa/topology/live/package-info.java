/**
 * The live page {@code vidqa run} serves on its HTTP port: every stream with its latest frame (read
 * from the frame store through Kafka Streams interactive queries, from whichever instance holds the
 * stream), the watches with their state, the incident timeline, the latest answers, and a box to
 * ask a question or add a watch; kept current with server-sent events.
 */
package dev.vidqa.topology.live;
