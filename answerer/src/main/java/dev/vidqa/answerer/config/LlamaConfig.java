package dev.vidqa.answerer.config;

import static dev.vidqa.qformer.config.JsonFields.require;

import dev.vidqa.answerer.nn.Activations;
import dev.vidqa.qformer.config.JsonFields;
import java.util.Locale;

/**
 * {@code text_config} of a Vicuna/LLaMA checkpoint (defaults are Hugging Face's {@code LlamaConfig}).
 * Special token ids here are the config's claims; Vicuna checkpoints get them wrong, so the
 * tokenizer's own ids win (see {@code SpecialTokens}).
 */
public record LlamaConfig(
        int vocabSize,
        int hiddenSize,
        int intermediateSize,
        int numHiddenLayers,
        int numAttentionHeads,
        int numKeyValueHeads,
        int headDim,
        double rmsNormEps,
        Activations.Kind hiddenAct,
        RopeScaling rope,
        int maxPositionEmbeddings,
        boolean attentionBias,
        boolean mlpBias,
        boolean tieWordEmbeddings,
        Integer bosTokenId,
        Integer eosTokenId,
        Integer padTokenId) {

    /** Rotary embedding frequencies: theta and the scaling rule applied to them. */
    public record RopeScaling(double theta, String type, double factor, double lowFreqFactor,
                              double highFreqFactor, int originalMaxPositions) {
        public RopeScaling {
            require(theta > 0, "rope", "rope_theta must be positive");
            require(type.equals("default") || type.equals("linear") || type.equals("llama3"), "rope",
                    "rope_type '" + type + "' is not supported (default, linear, llama3)");
            require(factor > 0, "rope", "rope scaling factor must be positive");
        }
    }

    public LlamaConfig {
        String w = "text_config (llama)";
        require(vocabSize > 0 && hiddenSize > 0 && intermediateSize > 0 && numHiddenLayers > 0, w,
                "sizes must be positive");
        require(numAttentionHeads > 0 && numKeyValueHeads > 0 && numAttentionHeads % numKeyValueHeads == 0, w,
                "num_attention_heads " + numAttentionHeads + " is not a multiple of num_key_value_heads "
                        + numKeyValueHeads);
        require(headDim > 0 && headDim % 2 == 0, w, "head_dim must be positive and even (rotary pairs)");
        require(rmsNormEps > 0, w, "rms_norm_eps must be positive");
    }

    public static LlamaConfig from(JsonFields j) {
        int hidden = j.intOr("hidden_size", 4096);
        int heads = j.intOr("num_attention_heads", 32);
        // rope: transformers 5 nests theta and scaling in rope_parameters; older configs use
        // rope_theta + rope_scaling.
        JsonFields rp = j.has("rope_parameters") ? j.object("rope_parameters")
                : j.has("rope_scaling") ? j.object("rope_scaling") : null;
        double theta = rp != null && rp.has("rope_theta") ? rp.doubleOr("rope_theta", 10000) : j.doubleOr("rope_theta", 10000);
        String type = rp == null ? "default" : rp.stringOr("rope_type", rp.stringOr("type", "default"));
        RopeScaling rope = new RopeScaling(theta, type.toLowerCase(Locale.ROOT),
                rp == null ? 1.0 : rp.doubleOr("factor", 1.0),
                rp == null ? 1.0 : rp.doubleOr("low_freq_factor", 1.0),
                rp == null ? 4.0 : rp.doubleOr("high_freq_factor", 4.0),
                rp == null ? 8192 : rp.intOr("original_max_position_embeddings", 8192));
        return new LlamaConfig(
                j.intOr("vocab_size", 32000),
                hidden,
                j.intOr("intermediate_size", 11008),
                j.intOr("num_hidden_layers", 32),
                heads,
                j.intOr("num_key_value_heads", heads),
                j.intOr("head_dim", hidden / heads),
                j.doubleOr("rms_norm_eps", 1e-6),
                Activations.parse(j.stringOr("hidden_act", "silu"), j.where() + ".hidden_act"),
                rope,
                j.intOr("max_position_embeddings", 2048),
                j.boolOr("attention_bias", false),
                j.boolOr("mlp_bias", false),
                j.boolOr("tie_word_embeddings", false),
                j.intOrNull("bos_token_id"),
                j.intOrNull("eos_token_id"),
                j.intOrNull("pad_token_id"));
    }
}
