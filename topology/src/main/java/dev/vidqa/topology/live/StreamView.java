package dev.vidqa.topology.live;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What the page shows of one stream: its span of stream time, chunks, its latest stored frame's
 * time, the state of every watch evaluated on it, and the instance that holds it.
 *
 * @param lastChunkAt wall clock (epoch ms) of its last chunk
 * @param latestFrame stream time of its newest stored frame (null: none stored)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StreamView(String streamId, double from, double to, long chunks, long lastChunkAt, Double latestFrame,
                         List<WatchView> watches, String host) {

    /**
     * One watch on this stream.
     *
     * @param lastEvaluated stream time of its last evaluation scheduled (null: none yet)
     * @param openSince stream time the open incident's run began (null: no incident open)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record WatchView(String watchId, boolean open, int hits, int misses, Double lastEvaluated, Double openSince) {}
}
