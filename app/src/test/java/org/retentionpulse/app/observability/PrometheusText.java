package org.retentionpulse.app.observability;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text exposition format 0.0.4 for tests: every line must be a HELP or TYPE
 * comment or a well-formed sample, every sample must belong to a family declared by a TYPE line before it, and
 * histogram buckets must be cumulative and end in {@code +Inf} equal to {@code _count}.
 */
final class PrometheusText {
    record Sample(String name, Map<String, String> labels, double value) {
    }

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME.pattern() + ") (.*)");
    private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME.pattern() + ") (counter|gauge|histogram|summary|untyped)");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Set<String> HISTOGRAM_SUFFIXES = Set.of("_bucket", "_count", "_sum", "_created");

    final Map<String, String> types = new LinkedHashMap<>();
    final List<Sample> samples = new ArrayList<>();

    static PrometheusText parse(String text) {
        PrometheusText out = new PrometheusText();
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            if (line.isEmpty()) {
                continue;
            }
            try {
                out.line(line);
            } catch (RuntimeException e) {
                throw new AssertionError("line " + lineNo + " is not Prometheus text format: " + line + " (" + e.getMessage() + ")", e);
            }
        }
        out.checkHistograms();
        return out;
    }

    private void line(String line) {
        if (line.startsWith("#")) {
            Matcher type = TYPE.matcher(line);
            if (type.matches()) {
                if (types.put(type.group(1), type.group(2)) != null) {
                    throw new IllegalArgumentException("second TYPE for " + type.group(1));
                }
                return;
            }
            if (!HELP.matcher(line).matches()) {
                throw new IllegalArgumentException("comment is neither HELP nor TYPE");
            }
            return;
        }
        int i = 0;
        Matcher name = NAME.matcher(line);
        if (!name.lookingAt()) {
            throw new IllegalArgumentException("no metric name");
        }
        String metric = name.group();
        i = name.end();
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (line.charAt(i) != '}') {
                Matcher label = LABEL_NAME.matcher(line).region(i, line.length());
                if (!label.lookingAt()) {
                    throw new IllegalArgumentException("bad label name at " + i);
                }
                i = label.end();
                if (line.charAt(i) != '=' || line.charAt(i + 1) != '"') {
                    throw new IllegalArgumentException("label without =\"");
                }
                i += 2;
                StringBuilder value = new StringBuilder();
                while (line.charAt(i) != '"') {
                    char c = line.charAt(i++);
                    if (c == '\\') {
                        char e = line.charAt(i++);
                        value.append(switch (e) {
                            case '\\' -> '\\';
                            case '"' -> '"';
                            case 'n' -> '\n';
                            default -> throw new IllegalArgumentException("bad escape \\" + e);
                        });
                    } else {
                        value.append(c);
                    }
                }
                i++;
                if (labels.put(label.group(), value.toString()) != null) {
                    throw new IllegalArgumentException("duplicate label " + label.group());
                }
                if (line.charAt(i) == ',') {
                    i++;
                } else if (line.charAt(i) != '}') {
                    throw new IllegalArgumentException("expected , or } at " + i);
                }
            }
            i++;
        }
        if (line.charAt(i) != ' ') {
            throw new IllegalArgumentException("no space before the value");
        }
        String[] rest = line.substring(i + 1).split(" ");
        if (rest.length > 2) {
            throw new IllegalArgumentException("trailing text");
        }
        double value = switch (rest[0]) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(rest[0]);
        };
        if (rest.length == 2) {
            Long.parseLong(rest[1]);
        }
        if (family(metric) == null) {
            throw new IllegalArgumentException("sample of " + metric + " before a TYPE line for its family");
        }
        samples.add(new Sample(metric, labels, value));
    }

    /** The declared family a sample name belongs to, or null. */
    String family(String sample) {
        if (types.containsKey(sample)) {
            return sample;
        }
        for (String suffix : HISTOGRAM_SUFFIXES) {
            if (sample.endsWith(suffix)) {
                String base = sample.substring(0, sample.length() - suffix.length());
                String type = types.get(base);
                if ("histogram".equals(type) || "summary".equals(type)) {
                    return base;
                }
            }
        }
        return null;
    }

    List<Sample> samples(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).toList();
    }

    /** The one sample of {@code name} whose labels include {@code labels}. */
    double value(String name, Map<String, String> labels) {
        List<Sample> matching = samples(name).stream().filter(s -> s.labels().entrySet().containsAll(labels.entrySet())).toList();
        if (matching.size() != 1) {
            throw new AssertionError(matching.size() + " samples of " + name + labels + ": " + matching);
        }
        return matching.get(0).value();
    }

    private void checkHistograms() {
        types.forEach((family, type) -> {
            if (!type.equals("histogram")) {
                return;
            }
            Map<Map<String, String>, List<Sample>> bySeries = new LinkedHashMap<>();
            for (Sample s : samples(family + "_bucket")) {
                Map<String, String> series = new LinkedHashMap<>(s.labels());
                series.remove("le");
                bySeries.computeIfAbsent(series, k -> new ArrayList<>()).add(s);
            }
            bySeries.forEach((series, buckets) -> {
                double previous = 0;
                double previousLe = Double.NEGATIVE_INFINITY;
                for (Sample b : buckets) {
                    double le = b.labels().get("le").equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(b.labels().get("le"));
                    if (le <= previousLe || b.value() < previous) {
                        throw new AssertionError(family + series + ": buckets not increasing at le=" + le);
                    }
                    previous = b.value();
                    previousLe = le;
                }
                if (previousLe != Double.POSITIVE_INFINITY || previous != value(family + "_count", series)) {
                    throw new AssertionError(family + series + ": last bucket is not +Inf = _count");
                }
            });
        });
    }
}
