package org.retentionpulse.app.evaluate;

import java.nio.file.Path;
import java.time.Instant;

/**
 * What to evaluate.
 *
 * @param input canonical JSON Lines events (the replay format)
 * @param calibrationEnd scores are taken as of this instant, from the events before it
 * @param holdoutEnd churned = no purchase in {@code [calibrationEnd, holdoutEnd)}; null: up to the latest event
 * @param scoresOut where one JSON line per customer goes (null: not written)
 * @param reportingCurrency the only accepted purchase currency
 */
public record EvaluationOptions(Path input, Instant calibrationEnd, Instant holdoutEnd, Path scoresOut,
                                String reportingCurrency) {
}
