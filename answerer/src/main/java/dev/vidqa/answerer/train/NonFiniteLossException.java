package dev.vidqa.answerer.train;

/** The loss or the gradients became NaN or infinite: training stops, the last good checkpoint stays. */
public final class NonFiniteLossException extends RuntimeException {
    private final long step;

    public NonFiniteLossException(long step, String what) {
        super("non-finite " + what + " at step " + step
                + "; stopping (the last checkpoint written is intact: lower --lr or check the data, then --resume)");
        this.step = step;
    }

    public long step() {
        return step;
    }
}
