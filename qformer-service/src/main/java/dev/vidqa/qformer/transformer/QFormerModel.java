package dev.vidqa.qformer.transformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import dev.vidqa.qformer.config.QFormerConfig;
import dev.vidqa.qformer.nn.Masks;
import dev.vidqa.qformer.weights.Weights;
import java.util.ArrayList;
import java.util.List;

/** {@code qformer}: embeddings and the BERT encoder layers (no final norm). */
public final class QFormerModel {
    private final QFormerEmbeddings embeddings;
    private final List<QFormerLayer> layers = new ArrayList<>();

    public QFormerModel(Weights w, QFormerConfig c) {
        this.embeddings = new QFormerEmbeddings(w.child("embeddings"), c);
        for (int i = 0; i < c.numHiddenLayers(); i++) {
            layers.add(new QFormerLayer(w.child("encoder.layer", i), c, i));
        }
    }

    /**
     * queries (N,nq,D), instruction ids and mask (N,L), frame features (N,Lv,Dv)
     * -> last hidden state (N,nq+L,D), queries first.
     */
    public NDArray forward(NDArray queries, NDArray inputIds, NDArray attentionMask, NDArray frames) {
        int nq = (int) queries.getShape().get(1);
        long n = queries.getShape().get(0);
        NDArray h = embeddings.forward(queries, inputIds);
        // queries are never padding; the instruction's right padding is masked (N,1,1,nq+L)
        NDArray queryMask = attentionMask.getManager().ones(new Shape(n, nq), attentionMask.getDataType());
        NDArray selfMask = Masks.padding(NDArrays.concat(new NDList(queryMask, attentionMask), 1));
        for (QFormerLayer layer : layers) {
            NDArray next = layer.forward(h, selfMask, frames, nq);
            h.close();
            h = next;
        }
        return h;
    }
}
