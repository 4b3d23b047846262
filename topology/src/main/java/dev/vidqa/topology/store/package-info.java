/**
 * The processor's state: the frame store ({@link dev.vidqa.topology.store.FrameStore}, keys in
 * {@link dev.vidqa.topology.store.FrameKeys}, values {@link dev.vidqa.topology.store.StoredFrame} with
 * content hashes) and what is known of each stream ({@link dev.vidqa.topology.store.StreamInfoStore}).
 */
package dev.vidqa.topology.store;
