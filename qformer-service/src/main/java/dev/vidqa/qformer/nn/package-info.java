/**
 * Tensor building blocks shared by the vision encoder and the Q-Former: linear, layer norm, attention, masks, scopes, and autograd-safe scalars.
 */
package dev.vidqa.qformer.nn;
