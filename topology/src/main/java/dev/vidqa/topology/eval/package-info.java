/**
 * {@code vidqa eval}: dataset readers (MSVD-QA, MSRVTT-QA, iVQA, JSONL), the runner, VQA scoring, reports, and the comparison through Kafka.
 */
package dev.vidqa.topology.eval;
