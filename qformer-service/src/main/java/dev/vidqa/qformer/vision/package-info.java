/**
 * The vision encoder ({@code vision_model.*} keys): one class per checkpoint block.
 */
package dev.vidqa.qformer.vision;
