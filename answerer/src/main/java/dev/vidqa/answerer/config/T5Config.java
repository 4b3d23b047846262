package dev.vidqa.answerer.config;

import static dev.vidqa.qformer.config.JsonFields.require;

import dev.vidqa.answerer.nn.Activations;
import dev.vidqa.qformer.config.JsonFields;

/**
 * {@code text_config} of a FlanT5 checkpoint (defaults are Hugging Face's {@code T5Config} ones).
 *
 * @param scaleDecoderOutputs multiply the decoder output by {@code d_model^-0.5} before the head
 */
public record T5Config(
        int vocabSize,
        int dModel,
        int dKv,
        int dFf,
        int numLayers,
        int numDecoderLayers,
        int numHeads,
        int relativeAttentionNumBuckets,
        int relativeAttentionMaxDistance,
        double layerNormEpsilon,
        boolean gated,
        Activations.Kind activation,
        boolean tieWordEmbeddings,
        boolean scaleDecoderOutputs,
        int decoderStartTokenId,
        int eosTokenId,
        int padTokenId) {

    public T5Config {
        String w = "text_config (t5)";
        require(vocabSize > 0 && dModel > 0 && dKv > 0 && dFf > 0 && numHeads > 0, w, "sizes must be positive");
        require(numLayers > 0 && numDecoderLayers > 0, w, "num_layers and num_decoder_layers must be positive");
        require(relativeAttentionNumBuckets > 1 && relativeAttentionMaxDistance > 0, w,
                "relative attention buckets and max distance must be positive");
        require(layerNormEpsilon > 0, w, "layer_norm_epsilon must be positive");
    }

    public static T5Config from(JsonFields j) {
        // feed_forward_proj is "{act}" or "gated-{act}"; "gated-gelu" means the tanh GELU for
        // historical reasons, and an explicit dense_act_fn wins over both.
        String proj = j.stringOr("feed_forward_proj", "relu");
        boolean gated = proj.startsWith("gated-");
        String act = gated ? proj.substring("gated-".length()) : proj;
        if (proj.equals("gated-gelu")) {
            act = "gelu_new";
        }
        act = j.stringOr("dense_act_fn", act);
        if (j.has("is_gated_act")) {
            gated = j.boolOr("is_gated_act", gated);
        }
        int layers = j.intOr("num_layers", 6);
        boolean tie = j.boolOr("tie_word_embeddings", true);
        return new T5Config(
                j.intOr("vocab_size", 32128),
                j.intOr("d_model", 512),
                j.intOr("d_kv", 64),
                j.intOr("d_ff", 2048),
                layers,
                j.intOr("num_decoder_layers", layers),
                j.intOr("num_heads", 8),
                j.intOr("relative_attention_num_buckets", 32),
                j.intOr("relative_attention_max_distance", 128),
                j.doubleOr("layer_norm_epsilon", 1e-6),
                gated,
                Activations.parse(act, j.where() + ".dense_act_fn"),
                tie,
                j.boolOr("scale_decoder_outputs", tie),
                j.intOr("decoder_start_token_id", 0),
                j.intOr("eos_token_id", 1),
                j.intOr("pad_token_id", 0));
    }

    public int innerDim() {
        return numHeads * dKv;
    }
}
