package dev.vidqa.qformer.config;

import static dev.vidqa.qformer.config.JsonFields.require;

/** {@code qformer_config}: the BERT-style Q-Former (defaults are Hugging Face's InstructBLIP ones). */
public record QFormerConfig(
        int hiddenSize,
        int intermediateSize,
        int numHiddenLayers,
        int numAttentionHeads,
        int crossAttentionFrequency,
        int encoderHiddenSize,
        double layerNormEps,
        int maxPositionEmbeddings,
        int vocabSize,
        int padTokenId,
        String hiddenAct,
        String positionEmbeddingType) {

    public QFormerConfig {
        String w = "qformer_config";
        require(hiddenSize > 0 && intermediateSize > 0 && numHiddenLayers > 0, w, "sizes must be positive");
        require(numAttentionHeads > 0 && hiddenSize % numAttentionHeads == 0, w,
                "hidden_size " + hiddenSize + " is not divisible by num_attention_heads " + numAttentionHeads);
        require(crossAttentionFrequency > 0, w, "cross_attention_frequency must be positive");
        require(encoderHiddenSize > 0 && maxPositionEmbeddings > 0 && vocabSize > 0, w, "sizes must be positive");
        require(hiddenAct.equals("gelu"), w, "hidden_act '" + hiddenAct + "' is not supported (only the exact 'gelu')");
        require(positionEmbeddingType.equals("absolute"), w,
                "position_embedding_type '" + positionEmbeddingType + "' is not supported (only 'absolute')");
    }

    public static QFormerConfig from(JsonFields j) {
        return new QFormerConfig(
                j.intOr("hidden_size", 768),
                j.intOr("intermediate_size", 3072),
                j.intOr("num_hidden_layers", 12),
                j.intOr("num_attention_heads", 12),
                j.intOr("cross_attention_frequency", 2),
                j.intOr("encoder_hidden_size", 1408),
                j.doubleOr("layer_norm_eps", 1e-12),
                j.intOr("max_position_embeddings", 512),
                j.intOr("vocab_size", 30522),
                j.intOr("pad_token_id", 0),
                j.stringOr("hidden_act", "gelu"),
                j.stringOr("position_embedding_type", "absolute"));
    }

    public int headDim() {
        return hiddenSize / numAttentionHeads;
    }

    /** Whether layer {@code i} has cross-attention to the frame features. */
    public boolean hasCrossAttention(int layer) {
        return layer % crossAttentionFrequency == 0;
    }
}
