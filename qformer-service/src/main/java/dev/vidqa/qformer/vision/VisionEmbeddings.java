package dev.vidqa.qformer.vision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import dev.vidqa.qformer.config.VisionConfig;
import dev.vidqa.qformer.weights.Weights;

/** {@code vision_model.embeddings}: patchify, prepend the class token, add position embeddings. */
public final class VisionEmbeddings {
    private final NDArray class_embedding; // (1,1,D)
    private final NDArray patch_embedding_weight; // (D,3,P,P)
    private final NDArray patch_embedding_bias; // (D)
    private final NDArray position_embedding; // (1,1+P*P,D)
    private final VisionConfig config;

    public VisionEmbeddings(Weights w, VisionConfig c) {
        long d = c.hiddenSize();
        this.config = c;
        this.class_embedding = w.get("class_embedding", 1, 1, d);
        Weights patch = w.child("patch_embedding");
        this.patch_embedding_weight = patch.get("weight", d, 3, c.patchSize(), c.patchSize());
        this.patch_embedding_bias = patch.get("bias", d);
        this.position_embedding = w.get("position_embedding", 1, c.seqLength(), d);
    }

    /** pixels (N,3,S,S) -> (N,1+patches,D) */
    public NDArray forward(NDArray pixels) {
        Shape s = pixels.getShape();
        if (s.dimension() != 4 || s.get(1) != 3 || s.get(2) != config.imageSize() || s.get(3) != config.imageSize()) {
            throw new IllegalArgumentException("vision encoder expects pixels (N,3," + config.imageSize() + ","
                    + config.imageSize() + "), got " + s);
        }
        long n = s.get(0);
        long d = config.hiddenSize();
        int p = config.patchSize();
        // A stride-P convolution is the per-patch linear projection. (N,3,S,S) -> (N,D,S/P,S/P)
        NDArray patches = Conv2d.conv2d(pixels, patch_embedding_weight, patch_embedding_bias, new Shape(p, p))
                .singletonOrThrow();
        // (N,D,h,w) -> (N,h*w,D)
        patches = patches.reshape(n, d, -1).transpose(0, 2, 1);
        // The class token is created in the request's manager: the weights' manager is sealed.
        NDArray cls = patches.getManager().zeros(new Shape(n, 1, d), patches.getDataType()).add(class_embedding);
        return NDArrays.concat(new NDList(cls, patches), 1).add(position_embedding);
    }
}
