package dev.vidqa.answerer.tokenize;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ids generation relies on. The tokenizer is the authority: Vicuna checkpoints' configs claim
 * bos 0 / eos 1 while the tokenizer (and the model's training) use {@code <s>} = 1 and
 * {@code </s>} = 2; believing the config would never stop at the real end of an answer.
 */
public record SpecialTokens(long eos, Long bos, long pad) {
    private static final Logger LOG = LoggerFactory.getLogger(SpecialTokens.class);

    public static SpecialTokens resolve(LmTokenizer tokenizer, Integer configEos, Integer configBos, Integer configPad) {
        Long eos = tokenizer.addedTokenId("</s>");
        if (eos == null) {
            if (configEos == null) {
                throw new IllegalArgumentException("cannot tell the end-of-sequence token: the tokenizer has no </s>"
                        + " and the config no eos_token_id");
            }
            eos = configEos.longValue();
        } else if (configEos != null && configEos.longValue() != eos) {
            LOG.warn("config says eos_token_id={} but the tokenizer's </s> is {}: using {}", configEos, eos, eos);
        }
        Long bos = tokenizer.addedTokenId("<s>");
        if (bos == null && configBos != null) {
            bos = configBos.longValue();
        } else if (bos != null && configBos != null && configBos.longValue() != bos) {
            LOG.warn("config says bos_token_id={} but the tokenizer's <s> is {}: using {}", configBos, bos, bos);
        }
        Long pad = tokenizer.addedTokenId("<pad>");
        if (pad == null) {
            pad = tokenizer.addedTokenId("[PAD]");
        }
        if (pad == null) {
            pad = configPad != null ? configPad.longValue() : eos;
        }
        return new SpecialTokens(eos, bos, pad);
    }
}
