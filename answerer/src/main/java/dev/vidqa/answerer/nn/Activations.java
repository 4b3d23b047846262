package dev.vidqa.answerer.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import dev.vidqa.qformer.config.ConfigException;
import dev.vidqa.qformer.nn.Scalars;

/** The activation functions Hugging Face configs name, by their config spelling. */
public final class Activations {
    private Activations() {}

    public enum Kind {
        RELU,
        /** exact erf GELU ({@code gelu}) */
        GELU,
        /** tanh approximation ({@code gelu_new}, {@code gelu_pytorch_tanh}) */
        GELU_TANH,
        SILU;

        public NDArray apply(NDArray x) {
            return switch (this) {
                case RELU -> Activation.relu(x);
                case GELU -> Activation.gelu(x);
                case GELU_TANH -> geluTanh(x);
                case SILU -> x.mul(Activation.sigmoid(x));
            };
        }
    }

    public static Kind parse(String name, String where) {
        return switch (name) {
            case "relu" -> Kind.RELU;
            case "gelu" -> Kind.GELU;
            case "gelu_new", "gelu_pytorch_tanh", "gelu_fast" -> Kind.GELU_TANH;
            case "silu", "swish" -> Kind.SILU;
            default -> throw new ConfigException(where + ": activation '" + name + "' is not supported"
                    + " (relu, gelu, gelu_new, gelu_pytorch_tanh, silu)");
        };
    }

    /** 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))), written out: DJL's gelu is the erf form. */
    static NDArray geluTanh(NDArray x) {
        NDArray inner = Scalars.mul(Scalars.mul(Scalars.pow(x, 3), 0.044715f).add(x), (float) Math.sqrt(2.0 / Math.PI));
        return Scalars.mul(x, 0.5f).mul(inner.tanh().add(1f));
    }
}
