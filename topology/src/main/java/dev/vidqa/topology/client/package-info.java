/**
 * Kafka clients for people and tests: publishing questions, waiting for answers.
 */
package dev.vidqa.topology.client;
