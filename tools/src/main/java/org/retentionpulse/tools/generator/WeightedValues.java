package org.retentionpulse.tools.generator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A finite set of string values with relative weights, such as the plans customers sign up for.
 * The order is kept: for plans it means "cheapest first" (see {@link GeneratorConfig#plans()}).
 */
public final class WeightedValues {

    private final List<String> values;
    private final double[] weights;
    private final double[] cumulative;

    private WeightedValues(final List<String> values, final double[] weights) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("at least one value is required");
        }
        this.values = List.copyOf(values);
        this.weights = weights.clone();
        this.cumulative = new double[weights.length];
        double total = 0;
        for (int i = 0; i < weights.length; i++) {
            if (!(weights[i] > 0) || Double.isInfinite(weights[i])) {
                throw new IllegalArgumentException("weight of '" + values.get(i) + "' must be a positive number");
            }
            total += weights[i];
            cumulative[i] = total;
        }
        for (int i = 0; i < cumulative.length; i++) {
            cumulative[i] /= total;
        }
    }

    /** Values with the given weights, in the map's iteration order. */
    public static WeightedValues of(final Map<String, ? extends Number> weightsByValue) {
        final List<String> values = new ArrayList<>(weightsByValue.size());
        final double[] weights = new double[weightsByValue.size()];
        int i = 0;
        for (final Map.Entry<String, ? extends Number> entry : weightsByValue.entrySet()) {
            values.add(requireValue(entry.getKey()));
            weights[i++] = entry.getValue().doubleValue();
        }
        return new WeightedValues(values, weights);
    }

    /** Equally likely values. */
    public static WeightedValues uniform(final String... values) {
        final double[] weights = new double[values.length];
        Arrays.fill(weights, 1.0);
        return new WeightedValues(Arrays.stream(values).map(WeightedValues::requireValue).toList(), weights);
    }

    /**
     * Parses {@code value[:weight],...}, e.g. {@code basic:6,pro:3,team:1}; a value without a weight weighs 1.
     */
    public static WeightedValues parse(final String text) {
        final Map<String, Double> weightsByValue = new LinkedHashMap<>();
        for (final String part : text.split(",")) {
            final String item = part.trim();
            if (item.isEmpty()) {
                continue;
            }
            final int colon = item.lastIndexOf(':');
            final String value = colon < 0 ? item : item.substring(0, colon).trim();
            final double weight;
            try {
                weight = colon < 0 ? 1.0 : Double.parseDouble(item.substring(colon + 1).trim());
            } catch (final NumberFormatException e) {
                throw new IllegalArgumentException("not a weight in '" + item + "'", e);
            }
            if (weightsByValue.put(requireValue(value), weight) != null) {
                throw new IllegalArgumentException("value '" + value + "' given twice");
            }
        }
        return of(weightsByValue);
    }

    private static String requireValue(final String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("values must be non-empty");
        }
        return value;
    }

    /** The values, in order. */
    public List<String> values() {
        return values;
    }

    /** The number of values. */
    public int size() {
        return values.size();
    }

    /** The value at {@code index}. */
    public String value(final int index) {
        return values.get(index);
    }

    /** The index of {@code value}, or -1. */
    public int indexOf(final String value) {
        return values.indexOf(value);
    }

    /** The index of a value drawn with probability proportional to its weight. */
    int pickIndex(final SplittableRandom random) {
        final double u = random.nextDouble();
        for (int i = 0; i < cumulative.length - 1; i++) {
            if (u < cumulative[i]) {
                return i;
            }
        }
        return cumulative.length - 1;
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof WeightedValues other && values.equals(other.values) && Arrays.equals(weights, other.weights);
    }

    @Override
    public int hashCode() {
        return Objects.hash(values, Arrays.hashCode(weights));
    }

    /** The {@link #parse(String)} form. */
    @Override
    public String toString() {
        final StringBuilder text = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                text.append(',');
            }
            text.append(values.get(i)).append(':').append(weights[i]);
        }
        return text.toString();
    }
}
