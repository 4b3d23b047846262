/**
 * An in-process KRaft broker for the demo, the tests and {@code vidqa broker}.
 */
package dev.vidqa.topology.kafka;
