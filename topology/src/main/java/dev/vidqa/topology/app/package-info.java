/**
 * The Kafka Streams application: the topology ({@link dev.vidqa.topology.app.VidqaTopology}), its processor, configuration ({@link dev.vidqa.topology.app.VidqaConfig}), topics, metrics, health and the HTTP server.
 */
package dev.vidqa.topology.app;
