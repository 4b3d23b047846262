package dev.vidqa.qformer.config;

import static dev.vidqa.qformer.config.JsonFields.require;

/** {@code vision_config}: the EVA ViT-g/14 encoder (defaults are Hugging Face's InstructBLIP ones). */
public record VisionConfig(
        int hiddenSize,
        int intermediateSize,
        int numHiddenLayers,
        int numAttentionHeads,
        int imageSize,
        int patchSize,
        double layerNormEps,
        String hiddenAct,
        boolean qkvBias) {

    public VisionConfig {
        String w = "vision_config";
        require(hiddenSize > 0 && intermediateSize > 0 && numHiddenLayers > 0, w, "sizes must be positive");
        require(numAttentionHeads > 0 && hiddenSize % numAttentionHeads == 0, w,
                "hidden_size " + hiddenSize + " is not divisible by num_attention_heads " + numAttentionHeads);
        require(patchSize > 0 && imageSize > 0 && imageSize % patchSize == 0, w,
                "image_size " + imageSize + " is not a multiple of patch_size " + patchSize);
        require(layerNormEps > 0, w, "layer_norm_eps must be positive");
        require(hiddenAct.equals("gelu"), w, "hidden_act '" + hiddenAct + "' is not supported (only the exact 'gelu')");
    }

    public static VisionConfig from(JsonFields j) {
        return new VisionConfig(
                j.intOr("hidden_size", 1408),
                j.intOr("intermediate_size", 6144),
                j.intOr("num_hidden_layers", 39),
                j.intOr("num_attention_heads", 16),
                j.intOr("image_size", 224),
                j.intOr("patch_size", 14),
                j.doubleOr("layer_norm_eps", 1e-6),
                j.stringOr("hidden_act", "gelu"),
                j.boolOr("qkv_bias", true));
    }

    public int headDim() {
        return hiddenSize / numAttentionHeads;
    }

    public int numPatches() {
        int side = imageSize / patchSize;
        return side * side;
    }

    /** Tokens per frame: the class token and one per patch. */
    public int seqLength() {
        return numPatches() + 1;
    }
}
