package org.retentionpulse.topology.metricalerts;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import org.retentionpulse.schemas.MetricAlert;
import org.retentionpulse.schemas.MetricAlertKind;
import org.retentionpulse.schemas.MetricUpdate;
import org.retentionpulse.topology.confidence.ChangeTest;
import org.retentionpulse.topology.confidence.ConfidenceLevel;
import org.retentionpulse.topology.confidence.MetricSamples;
import org.retentionpulse.topology.confidence.Sample;

/**
 * Judges one rule on one final record (and, for a change rule, the previous final of the series): the alert when
 * the rule's condition holds, else empty. Pure: the processor keeps the state (previous finals, what fires).
 */
final class RuleCheck {
    private final ConfidenceLevel level;

    RuleCheck(ConfidenceLevel level) {
        this.level = level;
    }

    Optional<MetricAlert> check(MetricAlertRule rule, MetricUpdate current, MetricUpdate previous) {
        if (rule instanceof MetricAlertRule.Threshold t) {
            return threshold(t, current);
        }
        return change((MetricAlertRule.Change) rule, current, previous);
    }

    private Optional<MetricAlert> threshold(MetricAlertRule.Threshold rule, MetricUpdate current) {
        Sample sample = MetricSamples.of(current);
        if (current.getValue() == null || sample == null || sample.size() < rule.minSampleSize()
                || !rule.crossed(current.getValue())) {
            return Optional.empty();
        }
        String message = String.format(Locale.ROOT, "%s, %s the threshold %s (rule %s), in the window %s..%s. "
                        + "Look at what changed for %s in that window.",
                describe(current, sample), rule.side() == MetricAlertRule.Side.ABOVE ? "above" : "below",
                plain(rule.threshold()), rule.name(), day(current.getWindowStart()), day(current.getWindowEnd()),
                current.getSegment());
        return Optional.of(base(rule, MetricAlertKind.THRESHOLD, current, sample).setThreshold(rule.threshold())
                .setMessage(message).build());
    }

    private Optional<MetricAlert> change(MetricAlertRule.Change rule, MetricUpdate current, MetricUpdate previous) {
        if (previous == null || current.getValue() == null || previous.getValue() == null) {
            return Optional.empty();
        }
        Sample now = MetricSamples.of(current);
        Sample before = MetricSamples.of(previous);
        if (now == null || before == null || now.size() < rule.minSampleSize() || before.size() < rule.minSampleSize()) {
            return Optional.empty();
        }
        BigDecimal change = current.getValue().subtract(previous.getValue());
        if (!rule.inDirection(change) || change.abs().compareTo(rule.minChange()) < 0) {
            return Optional.empty();
        }
        Optional<ChangeTest.Difference> test = ChangeTest.between(before, now);
        if (test.isEmpty() || !(test.get().pValue() < rule.significance())) {
            return Optional.empty();
        }
        ChangeTest.Difference d = test.get();
        String message = String.format(Locale.ROOT, "%s %s from %s in %s..%s to %s in %s..%s: %s%s, %s = %.2f, p = %.2g "
                        + "(rule %s, significance %s). Investigate what changed for %s from %s.",
                current.getMetric() + " " + current.getWindow() + " " + current.getSegment(),
                change.signum() > 0 ? "rose" : "fell", values(previous, before), day(previous.getWindowStart()),
                day(previous.getWindowEnd()), values(current, now), day(current.getWindowStart()),
                day(current.getWindowEnd()), change.signum() > 0 ? "+" : "", plain(change),
                now instanceof Sample.MeanScore ? "t" : "z", d.statistic(), d.pValue(), rule.name(),
                plain(BigDecimal.valueOf(rule.significance())), current.getSegment(), day(current.getWindowStart()));
        return Optional.of(base(rule, MetricAlertKind.CHANGE, current, now)
                .setPreviousWindowStart(previous.getWindowStart())
                .setPreviousValue(previous.getValue())
                .setPreviousCiLow(previous.getCiLow())
                .setPreviousCiHigh(previous.getCiHigh())
                .setPreviousSampleSize(before.size())
                .setZ(d.statistic())
                .setPValue(d.pValue())
                .setMessage(message)
                .build());
    }

    private static MetricAlert.Builder base(MetricAlertRule rule, MetricAlertKind kind, MetricUpdate current, Sample sample) {
        String series = MetricAlertStoreKeys.series(current);
        return MetricAlert.newBuilder()
                .setAlertId(MetricAlertId.of(rule.name(), series, current.getWindowStart().toEpochMilli()))
                .setRule(rule.name())
                .setKind(kind)
                .setSeries(series)
                .setMetric(current.getMetric())
                .setWindow(current.getWindow())
                .setSegment(current.getSegment())
                .setWindowStart(current.getWindowStart())
                .setWindowEnd(current.getWindowEnd())
                .setValue(current.getValue())
                .setCiLow(current.getCiLow())
                .setCiHigh(current.getCiHigh())
                .setSampleSize(sample.size())
                .setDetectedAt(current.getComputedAt());
    }

    private String describe(MetricUpdate update, Sample sample) {
        return update.getMetric() + " " + update.getWindow() + " " + update.getSegment() + " = " + values(update, sample);
    }

    /** e.g. {@code 12.5 (95% CI 8.1-18.2, n = 240)}. */
    private String values(MetricUpdate update, Sample sample) {
        String ci = update.getCiLow() == null ? "no interval"
                : String.format(Locale.ROOT, "%s%% CI %s to %s", plain(BigDecimal.valueOf(level.level() * 100)),
                        plain(update.getCiLow()), plain(update.getCiHigh()));
        return plain(update.getValue()) + " (" + ci + ", n = " + sample.size() + ")";
    }

    private static String plain(BigDecimal value) {
        return value.stripTrailingZeros().toPlainString();
    }

    private static String day(Instant instant) {
        return instant.toString().substring(0, 10);
    }
}
