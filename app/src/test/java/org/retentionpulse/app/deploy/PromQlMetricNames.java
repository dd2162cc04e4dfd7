package org.retentionpulse.app.deploy;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The metric names a PromQL expression selects, found by a small tokenizer: identifiers that are not
 * functions or aggregations (followed by '(' or by {@code by}/{@code without}), not keywords or operators ({@code by}, {@code and},
 * {@code offset}, ...), not label names in grouping clauses, and not inside label matchers, strings,
 * range/subquery brackets, numbers/durations or Grafana variables ({@code $window}, {@code ${x}}).
 * Selections by {@code {__name__=...}} alone are not recognised (the dashboards do not use them).
 */
final class PromQlMetricNames {
    private static final Set<String> GROUPING = Set.of("by", "without", "on", "ignoring", "group_left", "group_right");
    private static final Set<String> GROUPING_PREFIX = Set.of("by", "without");
    private static final Set<String> KEYWORDS = Set.of("bool", "and", "or", "unless", "offset", "atan2", "inf", "nan");

    private PromQlMetricNames() {
    }

    static Set<String> in(String expr) {
        Set<String> names = new TreeSet<>();
        int i = 0;
        int n = expr.length();
        while (i < n) {
            char c = expr.charAt(i);
            if (c == '"' || c == '\'' || c == '`') {
                i = skipString(expr, i);
            } else if (c == '{') {
                i = skipBlock(expr, i, '{', '}');
            } else if (c == '[') {
                i = skipBlock(expr, i, '[', ']');
            } else if (c == '$') {
                i = skipVariable(expr, i);
            } else if (c == '#') {
                int eol = expr.indexOf('\n', i);
                i = eol < 0 ? n : eol + 1;
            } else if (Character.isDigit(c) || (c == '.' && i + 1 < n && Character.isDigit(expr.charAt(i + 1)))) {
                // Numbers, durations (5m, 1h30m), exponents, hex: one run of word characters.
                while (i < n && (Character.isLetterOrDigit(expr.charAt(i)) || expr.charAt(i) == '.' || expr.charAt(i) == '_')) {
                    i++;
                }
            } else if (isIdentifierStart(c)) {
                int start = i;
                while (i < n && isIdentifierPart(expr.charAt(i))) {
                    i++;
                }
                String word = expr.substring(start, i);
                int next = skipSpace(expr, i);
                // A function or aggregation: followed by '(' or, for `sum by (x) (...)`, by a grouping keyword.
                boolean call = (next < n && expr.charAt(next) == '(') || GROUPING_PREFIX.contains(wordAt(expr, next));
                String lower = word.toLowerCase(Locale.ROOT);
                if (GROUPING.contains(lower)) {
                    if (call) {
                        i = skipBlock(expr, next, '(', ')');
                    }
                } else if (!KEYWORDS.contains(lower) && !call) {
                    names.add(word);
                }
            } else {
                i++;
            }
        }
        return names;
    }

    private static String wordAt(String s, int i) {
        int end = i;
        while (end < s.length() && isIdentifierPart(s.charAt(end))) {
            end++;
        }
        return s.substring(i, end).toLowerCase(Locale.ROOT);
    }

    private static boolean isIdentifierStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
    }

    private static boolean isIdentifierPart(char c) {
        return isIdentifierStart(c) || (c >= '0' && c <= '9');
    }

    private static int skipSpace(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    /** From an opening quote to just past its closing quote; backslash escapes except in raw (backtick) strings. */
    private static int skipString(String s, int i) {
        char quote = s.charAt(i++);
        while (i < s.length()) {
            char c = s.charAt(i++);
            if (c == '\\' && quote != '`') {
                i++;
            } else if (c == quote) {
                return i;
            }
        }
        throw new IllegalArgumentException("unterminated string in: " + s);
    }

    /** From an opening bracket to just past its matching close, with nested brackets and strings inside. */
    private static int skipBlock(String s, int i, char open, char close) {
        int depth = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '"' || c == '\'' || c == '`') {
                i = skipString(s, i);
                continue;
            }
            if (c == open) {
                depth++;
            } else if (c == close && --depth == 0) {
                return i + 1;
            }
            i++;
        }
        throw new IllegalArgumentException("unbalanced '" + open + "' in: " + s);
    }

    /** A Grafana variable: $name, ${name} or ${name:format}, [[name]] is not used. */
    private static int skipVariable(String s, int i) {
        i++;
        if (i < s.length() && s.charAt(i) == '{') {
            int end = s.indexOf('}', i);
            if (end < 0) {
                throw new IllegalArgumentException("unterminated ${ in: " + s);
            }
            return end + 1;
        }
        while (i < s.length() && isIdentifierPart(s.charAt(i))) {
            i++;
        }
        return i;
    }
}
