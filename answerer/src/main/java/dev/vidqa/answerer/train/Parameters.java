package dev.vidqa.answerer.train;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The trainable weights of a model, by checkpoint key, in checkpoint order. Marking them here is
 * what makes autograd record a graph through them; frozen weights never require a gradient, so
 * they get none and never change.
 */
public final class Parameters {

    /**
     * One trainable tensor. {@code decay}: whether AdamW's weight decay applies; as in LAVIS, not to
     * biases and 1-D tensors (the norms' weights).
     */
    public record Param(String key, NDArray value, boolean decay) {}

    private final List<Param> params;

    private Parameters(List<Param> params) {
        this.params = Collections.unmodifiableList(params);
    }

    /** Selects the weights of {@code parts} among {@code weights} and turns their gradients on. */
    public static Parameters select(Map<String, NDArray> weights, TrainableParts parts) {
        List<Param> out = new ArrayList<>();
        for (Map.Entry<String, NDArray> e : weights.entrySet()) {
            NDArray w = e.getValue();
            if (!parts.trains(e.getKey()) || !w.getDataType().isFloating()) {
                continue;
            }
            w.setRequiresGradient(true);
            boolean decay = w.getShape().dimension() >= 2 && !e.getKey().endsWith(".bias");
            out.add(new Param(e.getKey(), w, decay));
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no trainable weights for --train " + parts.cliName());
        }
        return new Parameters(out);
    }

    /** Weights that are not part of the checkpoint (a pretraining head), with gradients turned on. */
    public static Parameters of(List<Param> params) {
        params.forEach(p -> p.value().setRequiresGradient(true));
        return new Parameters(new ArrayList<>(params));
    }

    /** These parameters followed by {@code more}. */
    public Parameters plus(Parameters more) {
        List<Param> all = new ArrayList<>(params);
        all.addAll(more.params);
        return new Parameters(all);
    }

    public List<Param> list() {
        return params;
    }

    public long count() {
        return params.stream().mapToLong(p -> p.value().getShape().size()).sum();
    }
}
