package org.retentionpulse.app.deploy;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.retentionpulse.app.config.AppDefaults;
import org.retentionpulse.app.config.Settings;

/** The application's setting keys, as the deployment files must name them (in properties files or as environment variables). */
final class SettingKeys {
    private static final String PASSTHROUGH_KAFKA = "kafka.";
    private static final String PASSTHROUGH_STREAMS = "streams.";

    private SettingKeys() {
    }

    /** Every key constant of {@link AppDefaults}. */
    static Set<String> known() {
        Set<String> keys = new TreeSet<>();
        for (Field f : AppDefaults.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                try {
                    keys.add((String) f.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return keys;
    }

    /** A key the application reads: a known key or one passed through to Kafka ({@code kafka.*}, {@code streams.*}). */
    static boolean isSetting(String key) {
        return known().contains(key) || passthrough(key);
    }

    private static boolean passthrough(String key) {
        return (key.startsWith(PASSTHROUGH_KAFKA) && key.length() > PASSTHROUGH_KAFKA.length())
                || (key.startsWith(PASSTHROUGH_STREAMS) && key.length() > PASSTHROUGH_STREAMS.length());
    }

    /** The setting an environment variable sets, if it names one. */
    static Optional<String> ofEnvironmentVariable(String name) {
        for (String key : known()) {
            if (Settings.envName(key).equals(name)) {
                return Optional.of(key);
            }
        }
        for (String prefix : new String[] {PASSTHROUGH_KAFKA, PASSTHROUGH_STREAMS}) {
            String envPrefix = Settings.envName(prefix);
            if (name.startsWith(envPrefix) && name.length() > envPrefix.length()) {
                return Optional.of(prefix + name.substring(envPrefix.length()).toLowerCase(java.util.Locale.ROOT).replace('_', '.'));
            }
        }
        return Optional.empty();
    }

    /** The built-in default of a key. */
    static String defaultOf(String key) {
        return Settings.load(null, java.util.Map.of(), java.util.Map.of()).get(key);
    }
}
