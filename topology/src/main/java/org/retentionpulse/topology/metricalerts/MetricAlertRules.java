package org.retentionpulse.topology.metricalerts;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.retentionpulse.topology.confidence.MetricSamples;
import org.retentionpulse.topology.metrics.Metric;
import org.retentionpulse.topology.time.WindowSpec;

/**
 * Parses the {@code alerts.rules} file: one rule per line, {@code NAME KIND key=value ...}; blank lines and lines
 * starting with {@code #} are ignored. Every error names the source and the line. Format and examples:
 * docs/ALERT-RULES.md.
 * <pre>
 * churn-high  threshold metric=churn_rate window=P7D/P1D segment=plan=* above=10 min_n=50
 * churn-jump  change    metric=churn_rate window=P7D/P1D segment=*      significance=0.01 min_n=100 min_change=1 direction=up
 * </pre>
 */
public final class MetricAlertRules {
    public static final double DEFAULT_SIGNIFICANCE = 0.01;
    public static final long DEFAULT_MIN_SAMPLE_SIZE = 30;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
    private static final Set<String> THRESHOLD_KEYS = Set.of("metric", "window", "segment", "above", "below", "min_n");
    private static final Set<String> CHANGE_KEYS =
            Set.of("metric", "window", "segment", "significance", "min_n", "min_change", "direction");

    private MetricAlertRules() {
    }

    /**
     * @param source the file name, for error messages
     * @param windows the configured window specs: a rule on another window could never fire
     * @throws IllegalArgumentException naming the line of the first error
     */
    public static List<MetricAlertRule> parse(List<String> lines, String source, List<WindowSpec> windows) {
        List<MetricAlertRule> rules = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                MetricAlertRule rule = parseLine(line, windows);
                if (!names.add(rule.name())) {
                    throw new IllegalArgumentException("rule name '" + rule.name() + "' is used twice");
                }
                rules.add(rule);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("alerts.rules " + source + " line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return List.copyOf(rules);
    }

    private static MetricAlertRule parseLine(String line, List<WindowSpec> windows) {
        String[] words = line.split("\\s+");
        if (words.length < 2) {
            throw new IllegalArgumentException("expected NAME KIND key=value ..., got '" + line + "'");
        }
        String name = words[0];
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("rule name '" + name + "' must be letters, digits, '-', '_' or '.'");
        }
        String kind = words[1].toLowerCase(Locale.ROOT);
        Set<String> allowed = switch (kind) {
            case "threshold" -> THRESHOLD_KEYS;
            case "change" -> CHANGE_KEYS;
            default -> throw new IllegalArgumentException("unknown rule kind '" + words[1] + "' (threshold or change)");
        };
        Map<String, String> values = keyValues(words, allowed);
        Metric metric = metric(required(values, "metric"));
        WindowSpec window = window(required(values, "window"), windows);
        SegmentPattern segments = new SegmentPattern(values.getOrDefault("segment", "*"));
        long minN = count(values.getOrDefault("min_n", Long.toString(DEFAULT_MIN_SAMPLE_SIZE)), "min_n");
        if (kind.equals("threshold")) {
            if (values.containsKey("above") == values.containsKey("below")) {
                throw new IllegalArgumentException("a threshold rule needs exactly one of above=VALUE or below=VALUE");
            }
            boolean above = values.containsKey("above");
            BigDecimal threshold = number(values.get(above ? "above" : "below"), above ? "above" : "below");
            return new MetricAlertRule.Threshold(name, metric, window, segments,
                    above ? MetricAlertRule.Side.ABOVE : MetricAlertRule.Side.BELOW, threshold, minN);
        }
        double significance = number(values.getOrDefault("significance", Double.toString(DEFAULT_SIGNIFICANCE)),
                "significance").doubleValue();
        if (!(significance > 0 && significance < 1)) {
            throw new IllegalArgumentException("significance must be strictly between 0 and 1, got " + significance);
        }
        BigDecimal minChange = number(values.getOrDefault("min_change", "0"), "min_change");
        if (minChange.signum() < 0) {
            throw new IllegalArgumentException("min_change must not be negative, got " + minChange);
        }
        return new MetricAlertRule.Change(name, metric, window, segments, significance, minN, minChange,
                direction(values.getOrDefault("direction", "both")));
    }

    private static Map<String, String> keyValues(String[] words, Set<String> allowed) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int w = 2; w < words.length; w++) {
            int eq = words[w].indexOf('=');
            if (eq <= 0 || eq == words[w].length() - 1) {
                throw new IllegalArgumentException("expected key=value, got '" + words[w] + "'");
            }
            String key = words[w].substring(0, eq);
            if (!allowed.contains(key)) {
                throw new IllegalArgumentException("unknown key '" + key + "' (allowed: " + new java.util.TreeSet<>(allowed) + ")");
            }
            if (values.put(key, words[w].substring(eq + 1)) != null) {
                throw new IllegalArgumentException("key '" + key + "' given twice");
            }
        }
        return values;
    }

    private static String required(Map<String, String> values, String key) {
        String value = values.get(key);
        if (value == null) {
            throw new IllegalArgumentException("missing " + key + "=...");
        }
        return value;
    }

    private static Metric metric(String key) {
        Metric metric = Metric.find(key);
        if (metric == null || !MetricSamples.covers(metric)) {
            List<String> rates = java.util.Arrays.stream(Metric.values()).filter(MetricSamples::covers).map(Metric::key).toList();
            throw new IllegalArgumentException("metric '" + key + "' is not a rate with a sample size (rates: " + rates + ")");
        }
        return metric;
    }

    private static WindowSpec window(String text, List<WindowSpec> windows) {
        WindowSpec window = WindowSpec.parse(text);
        if (!windows.contains(window)) {
            throw new IllegalArgumentException("window " + window + " is not one of the configured windows " + windows);
        }
        return windows.get(windows.indexOf(window)); // the configured spelling, as published in the updates
    }

    private static MetricAlertRule.Direction direction(String text) {
        try {
            return MetricAlertRule.Direction.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("direction must be up, down or both, got '" + text + "'");
        }
    }

    private static BigDecimal number(String text, String key) {
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number, got '" + text + "'");
        }
    }

    private static long count(String text, String key) {
        try {
            long n = Long.parseLong(text);
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number of at least 1, got '" + text + "'");
        }
    }
}
