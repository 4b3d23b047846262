package dev.vidqa.qformer.transformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import dev.vidqa.qformer.config.QFormerConfig;
import dev.vidqa.qformer.nn.Scopes;
import dev.vidqa.qformer.weights.Weights;

/**
 * {@code qformer.encoder.layer.i}. Queries and instruction tokens attend to each other (this is
 * what makes the extracted visual features instruction-aware); then only the query positions
 * cross-attend to the frame features (in layers {@code i % cross_attention_frequency == 0}) and
 * go through their own feed-forward ({@code *_query}); instruction positions use the text one.
 */
public final class QFormerLayer {
    private final QFormerAttention attention;
    private final QFormerAttention crossattention; // null in layers without cross-attention
    private final QFormerIntermediate intermediate;
    private final QFormerOutput output;
    private final QFormerIntermediate intermediate_query;
    private final QFormerOutput output_query;

    public QFormerLayer(Weights w, QFormerConfig c, int index) {
        long d = c.hiddenSize();
        long ff = c.intermediateSize();
        double eps = c.layerNormEps();
        this.attention = new QFormerAttention(w.child("attention"), c, false);
        this.crossattention = c.hasCrossAttention(index) ? new QFormerAttention(w.child("crossattention"), c, true) : null;
        this.intermediate = new QFormerIntermediate(w.child("intermediate"), d, ff);
        this.output = new QFormerOutput(w.child("output"), ff, d, eps);
        this.intermediate_query = new QFormerIntermediate(w.child("intermediate_query"), d, ff);
        this.output_query = new QFormerOutput(w.child("output_query"), ff, d, eps);
    }

    /**
     * h (N,nq+L,D), selfMask additive (N,1,1,nq+L), frames (N,Lv,Dv) -> (N,nq+L,D)
     */
    public NDArray forward(NDArray h, NDArray selfMask, NDArray frames, int numQueries) {
        return Scopes.run(() -> {
            NDArray attended = attention.forward(h, h, selfMask);
            NDArray queries = attended.get(new NDIndex(":, :{}, :", numQueries));
            if (crossattention != null) {
                // every frame token is valid: no cross-attention mask
                queries = crossattention.forward(queries, frames, null);
            }
            NDArray queryOut = output_query.forward(intermediate_query.forward(queries), queries);
            if (attended.getShape().get(1) == numQueries) {
                return queryOut;
            }
            NDArray text = attended.get(new NDIndex(":, {}:, :", numQueries));
            NDArray textOut = output.forward(intermediate.forward(text), text);
            return NDArrays.concat(new NDList(queryOut, textOut), 1);
        });
    }
}
