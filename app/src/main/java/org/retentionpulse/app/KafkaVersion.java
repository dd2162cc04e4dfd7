package org.retentionpulse.app;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The version of the Kafka client library on the class path. Kafka 4.4 moved {@code AppInfoParser} into an
 * internal package, so this reads the properties file the kafka-clients jar ships instead of depending on it.
 */
public final class KafkaVersion {
    private static final String RESOURCE = "/kafka/kafka-version.properties";

    private KafkaVersion() {}

    public static String get() {
        try (InputStream in = KafkaVersion.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
