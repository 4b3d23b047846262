package dev.vidqa.answerer.llama;

import ai.djl.ndarray.NDArray;
import dev.vidqa.answerer.config.LlamaConfig;
import dev.vidqa.qformer.nn.Linear;
import dev.vidqa.qformer.weights.Weights;

/** {@code mlp}: {@code down_proj(act(gate_proj(x)) * up_proj(x))}, SiLU for LLaMA. */
public final class LlamaMLP {
    private final Linear gate_proj;
    private final Linear up_proj;
    private final Linear down_proj;
    private final LlamaConfig config;

    public LlamaMLP(Weights w, LlamaConfig c) {
        this.config = c;
        this.gate_proj = Linear.load(w, "gate_proj", c.intermediateSize(), c.hiddenSize(), c.mlpBias());
        this.up_proj = Linear.load(w, "up_proj", c.intermediateSize(), c.hiddenSize(), c.mlpBias());
        this.down_proj = Linear.load(w, "down_proj", c.hiddenSize(), c.intermediateSize(), c.mlpBias());
    }

    public NDArray forward(NDArray x) {
        return down_proj.forward(config.hiddenAct().apply(gate_proj.forward(x)).mul(up_proj.forward(x)));
    }
}
