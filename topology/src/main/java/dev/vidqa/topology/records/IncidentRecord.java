package dev.vidqa.topology.records;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A {@code vidqa.incidents} record value (key: the stream id): a watch's trigger held for its
 * {@code open} consecutive evaluations ({@code open}), or stopped holding for {@code close} of them
 * ({@code closed}). Never one record per evaluation.
 *
 * @param from stream time of the first evaluation that fired
 * @param to stream time of the last evaluation that fired (null while open)
 * @param answers the answers that fired, in order (at most {@link #MAX_EVIDENCE})
 * @param frameTimestamps the frames those answers looked at (at most {@link #MAX_EVIDENCE} lists)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IncidentRecord(String watchId, String streamId, String question, String state, double from, Double to,
                             List<String> answers, List<List<Double>> frameTimestamps, String at) {
    public static final String OPEN = "open";
    public static final String CLOSED = "closed";
    /** Evidence kept per incident: an incident that lasts all day still fits a record. */
    public static final int MAX_EVIDENCE = 20;
}
