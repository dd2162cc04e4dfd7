package org.retentionpulse.app.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Layered configuration: built-in defaults, then a properties file, then environment variables, then
 * command-line options, each overriding the one before. An environment variable names a key in upper case
 * with {@code RETENTION_PULSE_} in front and dots and dashes as underscores:
 * {@code RETENTION_PULSE_BOOTSTRAP_SERVERS} sets {@code bootstrap.servers}. Keys starting with
 * {@code kafka.} are passed to every Kafka client (e.g. {@code kafka.security.protocol}), keys starting with
 * {@code streams.} only to Kafka Streams.
 */
public final class Settings {
    public static final String ENV_PREFIX = "RETENTION_PULSE_";

    private final Map<String, String> values;
    private final Map<String, String> origins;

    private Settings(Map<String, String> values, Map<String, String> origins) {
        this.values = values;
        this.origins = origins;
    }

    /** Builds settings from the sources in precedence order; {@code file} may be null. */
    public static Settings load(Path file, Map<String, String> environment, Map<String, String> overrides) {
        Map<String, String> values = new TreeMap<>();
        Map<String, String> origins = new TreeMap<>();
        AppDefaults.values().forEach((k, v) -> put(values, origins, k, v, "default"));
        if (file != null) {
            Properties props = new Properties();
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                props.load(reader);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read config file " + file + ": " + e.getMessage(), e);
            }
            props.stringPropertyNames().forEach(k -> put(values, origins, k.trim(), props.getProperty(k).trim(), file.toString()));
        }
        Map<String, String> byEnvName = new LinkedHashMap<>();
        for (String key : values.keySet()) {
            byEnvName.put(envName(key), key);
        }
        environment.forEach((name, value) -> {
            if (name.startsWith(ENV_PREFIX)) {
                String key = byEnvName.getOrDefault(name, name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.'));
                put(values, origins, key, value, "environment " + name);
            }
        });
        overrides.forEach((k, v) -> {
            if (v != null) {
                put(values, origins, k, v, "command line");
            }
        });
        return new Settings(values, origins);
    }

    private static void put(Map<String, String> values, Map<String, String> origins, String key, String value, String origin) {
        values.put(key, value);
        origins.put(key, origin);
    }

    /** The environment variable that sets {@code key}. */
    public static String envName(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public String get(String key) {
        String v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException("missing setting '" + key + "' (set it in the config file or as " + envName(key) + ")");
        }
        return v;
    }

    public String get(String key, String fallback) {
        return values.getOrDefault(key, fallback);
    }

    public int getInt(String key) {
        try {
            return Integer.parseInt(get(key));
        } catch (NumberFormatException e) {
            throw invalid(key, "a whole number");
        }
    }

    public double getDouble(String key) {
        try {
            return Double.parseDouble(get(key));
        } catch (NumberFormatException e) {
            throw invalid(key, "a number");
        }
    }

    public Duration getDuration(String key) {
        try {
            return Duration.parse(get(key));
        } catch (RuntimeException e) {
            throw invalid(key, "an ISO-8601 duration such as PT6H or P1D");
        }
    }

    /**
     * A setting turned into a typed value by {@code parser}; any exception it throws becomes an error naming the key,
     * the value, its origin, what was expected and why the value was refused.
     */
    public <T> T parse(String key, Function<String, T> parser, String expected) {
        String value = get(key);
        try {
            return parser.apply(value);
        } catch (RuntimeException e) {
            IllegalArgumentException invalid = invalid(key, expected + " (" + e.getMessage() + ")");
            invalid.initCause(e);
            throw invalid;
        }
    }

    public List<String> getList(String key) {
        return Arrays.stream(get(key).split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    public boolean getBoolean(String key) {
        String v = get(key).toLowerCase(Locale.ROOT);
        if (!v.equals("true") && !v.equals("false")) {
            throw invalid(key, "true or false");
        }
        return Boolean.parseBoolean(v);
    }

    /** All settings under {@code prefix}, with the prefix removed. */
    public Map<String, String> withPrefix(String prefix) {
        Map<String, String> out = new TreeMap<>();
        values.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), v);
            }
        });
        return out;
    }

    /** Every setting as key -> value (unmasked: do not log). */
    public Map<String, String> values() {
        return new TreeMap<>(values);
    }

    /** Where a setting came from, for the startup log. */
    public String origin(String key) {
        return origins.getOrDefault(key, "unset");
    }

    /** Settings for the startup log; values of keys that look secret are masked. */
    public Map<String, String> describe() {
        Map<String, String> out = new TreeMap<>();
        values.forEach((k, v) -> out.put(k, (isSecret(k) ? "******" : v) + "  (" + origins.get(k) + ")"));
        return out;
    }

    static boolean isSecret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("password") || k.contains("secret") || k.contains("jaas") || k.contains("token") || k.endsWith(".key");
    }

    private IllegalArgumentException invalid(String key, String expected) {
        return new IllegalArgumentException("setting '" + key + "' = '" + values.get(key) + "' (from " + origin(key)
                + ") must be " + expected);
    }
}
