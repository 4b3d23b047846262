/**
 * The JSON records on the topics (questions, answers, windows, options) and their strict and lenient readers.
 */
package dev.vidqa.topology.records;
