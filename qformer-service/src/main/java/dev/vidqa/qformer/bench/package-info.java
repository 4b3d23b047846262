/**
 * The vision encoder benchmark and the GEMM baseline it is compared with.
 */
package dev.vidqa.qformer.bench;
