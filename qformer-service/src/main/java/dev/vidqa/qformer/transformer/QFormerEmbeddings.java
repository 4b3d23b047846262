package dev.vidqa.qformer.transformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.core.Embedding;
import ai.djl.ndarray.types.SparseFormat;
import dev.vidqa.qformer.config.QFormerConfig;
import dev.vidqa.qformer.nn.LayerNorm;
import dev.vidqa.qformer.weights.Weights;

/**
 * {@code qformer.embeddings}: the instruction's word + absolute position embeddings (positions
 * from 0), placed after the query tokens, then one LayerNorm over both. Queries get no position.
 */
public final class QFormerEmbeddings {
    private final NDArray word_embeddings;
    private final NDArray position_embeddings;
    private final LayerNorm layernorm;
    private final QFormerConfig config;

    public QFormerEmbeddings(Weights w, QFormerConfig c) {
        this.config = c;
        this.word_embeddings = w.child("word_embeddings").get("weight", c.vocabSize(), c.hiddenSize());
        this.position_embeddings =
                w.child("position_embeddings").get("weight", c.maxPositionEmbeddings(), c.hiddenSize());
        this.layernorm = LayerNorm.load(w, "layernorm", c.hiddenSize(), c.layerNormEps());
    }

    /** queries (N,nq,D), instruction ids (N,L) -> (N,nq+L,D) */
    public NDArray forward(NDArray queries, NDArray inputIds) {
        long len = inputIds.getShape().get(1);
        if (len > config.maxPositionEmbeddings()) {
            throw new IllegalArgumentException("instruction of " + len + " tokens exceeds the Q-Former's "
                    + config.maxPositionEmbeddings() + " positions");
        }
        NDArray words = Embedding.embedding(inputIds, word_embeddings, SparseFormat.DENSE).singletonOrThrow();
        NDArray positions = inputIds.getManager().arange(0, (int) len, 1, DataType.INT64);
        NDArray pos = Embedding.embedding(positions, position_embeddings, SparseFormat.DENSE).singletonOrThrow();
        NDArray text = words.add(pos);
        return layernorm.forward(NDArrays.concat(new NDList(queries, text), 1));
    }
}
