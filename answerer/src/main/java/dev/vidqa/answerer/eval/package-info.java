/**
 * Answer normalisation and accuracy as the VQA evaluation computes them.
 */
package dev.vidqa.answerer.eval;
