/**
 * The frame store's keys and values: stored frames (with content hashes) and per-stream information.
 */
package dev.vidqa.topology.store;
