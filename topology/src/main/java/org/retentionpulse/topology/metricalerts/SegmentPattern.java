package org.retentionpulse.topology.metricalerts;

import java.util.regex.Pattern;

/**
 * Which segments a rule watches: a glob where {@code *} matches any characters, e.g. {@code *} (every segment),
 * {@code all}, {@code plan=*}, {@code plan=pro}.
 */
public record SegmentPattern(String glob) {
    public static final SegmentPattern EVERY = new SegmentPattern("*");

    public SegmentPattern {
        if (glob == null || glob.isBlank()) {
            throw new IllegalArgumentException("segment pattern must not be empty");
        }
    }

    public boolean matches(String segment) {
        return regex().matcher(segment).matches();
    }

    private Pattern regex() {
        StringBuilder re = new StringBuilder();
        for (String part : glob.split("\\*", -1)) {
            if (!re.isEmpty()) {
                re.append(".*");
            }
            re.append(Pattern.quote(part));
        }
        return Pattern.compile(re.toString());
    }

    @Override
    public String toString() {
        return glob;
    }
}
