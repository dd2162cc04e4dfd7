package org.retentionpulse.app.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.retentionpulse.app.config.AppDefaults;
import org.retentionpulse.tools.broker.EmbeddedKafkaBroker;
import org.retentionpulse.tools.generator.FaultRates;

/**
 * The pipeline over TLS with SASL SCRAM-SHA-512: a broker with a SASL_SSL listener whose certificate is signed
 * by a CA made in the test, a SCRAM user created through the Admin API, and a pipeline process whose password and
 * truststore password come from a secrets file through Kafka's FileConfigProvider. Its results are exact and
 * no secret appears in its log.
 */
class SecureConnectionIT {
    private static final String STORE_PASSWORD = "store-pw-" + Long.toHexString(System.nanoTime());
    private static final String TRUST_PASSWORD = "trust-pw-" + Long.toHexString(System.nanoTime());
    private static final String ADMIN_PASSWORD = "admin-pw-" + Long.toHexString(System.nanoTime());
    private static final String APP_USER = "retention-pulse";
    private static final String APP_PASSWORD = "scram-pw-" + Long.toHexString(System.nanoTime());

    @TempDir
    static Path tls;
    private static EmbeddedKafkaBroker broker;
    private static Path truststore;
    private static long certificatesMs;
    private static long brokerMs;

    @BeforeAll
    static void startSecureBroker() throws Exception {
        Path keystore = tls.resolve("broker.p12");
        truststore = tls.resolve("truststore.p12");
        long started = System.nanoTime();
        makeCertificates(keystore, truststore);
        certificatesMs = (System.nanoTime() - started) / 1_000_000;
        started = System.nanoTime();
        String plain = "org.apache.kafka.common.security.plain.PlainLoginModule required";
        broker = ReliabilityBroker.builder()
                .securityProtocol(SecurityProtocol.SASL_SSL)
                // PLAIN for the test's own admin (it creates the SCRAM user); SCRAM-SHA-512 for the pipeline.
                .brokerProperty("sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-512")
                .brokerProperty("listener.name.sasl_ssl.plain.sasl.jaas.config",
                        plain + " user_admin=\"" + ADMIN_PASSWORD + "\";")
                .brokerProperty("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required;")
                .brokerProperty("listener.name.sasl_ssl.ssl.keystore.type", "PKCS12")
                .brokerProperty("listener.name.sasl_ssl.ssl.keystore.location", keystore.toString())
                .brokerProperty("listener.name.sasl_ssl.ssl.keystore.password", STORE_PASSWORD)
                .brokerProperty("listener.name.sasl_ssl.ssl.key.password", STORE_PASSWORD)
                .clientProperty(SaslConfigs.SASL_MECHANISM, "PLAIN")
                .clientProperty(SaslConfigs.SASL_JAAS_CONFIG, plain + " username=\"admin\" password=\"" + ADMIN_PASSWORD + "\";")
                .clientProperty(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PKCS12")
                .clientProperty(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, truststore.toString())
                .clientProperty(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, TRUST_PASSWORD)
                .start();
        try (Admin admin = Admin.create(broker.clientProperties())) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(APP_USER,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), APP_PASSWORD))).all().get(30, TimeUnit.SECONDS);
        }
        Await.until(Duration.ofSeconds(30), "the SCRAM user to be usable", () -> scramWorks(APP_PASSWORD));
        brokerMs = (System.nanoTime() - started) / 1_000_000;
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void pipelineRunsOverSaslSslWithSecretsFromAFileAndNeverLogsThem(@TempDir Path dir) throws Exception {
        Path secrets = dir.resolve("secrets.properties");
        Files.writeString(secrets, "scram.password=" + APP_PASSWORD + "\ntruststore.password=" + TRUST_PASSWORD + "\n",
                StandardCharsets.UTF_8);
        Map<String, String> client = new HashMap<>();
        client.put(AppDefaults.BOOTSTRAP_SERVERS, broker.bootstrapServers());
        client.put("kafka.security.protocol", "SASL_SSL");
        client.put("kafka.sasl.mechanism", "SCRAM-SHA-512");
        client.put("kafka.config.providers", "file");
        client.put("kafka.config.providers.file.class", "org.apache.kafka.common.config.provider.FileConfigProvider");
        client.put("kafka.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + APP_USER + "\" password=\"${file:" + secrets + ":scram.password}\";");
        client.put("kafka.ssl.truststore.type", "PKCS12");
        client.put("kafka.ssl.truststore.location", truststore.toString());
        client.put("kafka.ssl.truststore.password", "${file:" + secrets + ":truststore.password}");
        EventStream stream = EventStream.generated(41, 300, 35, 2_000,
                FaultRates.NONE.withDuplicateRate(0.01).withInvalidRate(0.005));

        // One dimension: this test is about the connection, not about segments (fewer finals to publish).
        try (PipelineRun run = new PipelineRun("secure", client, 2).with(AppDefaults.DIMENSIONS, "plan").createTopics()) {
            // The test's own clients use the same settings, secrets file included.
            stream.produceAll(run.client(), run.inputTopic());
            stream.endInput(run.client(), run.inputTopic());
            long started = System.nanoTime();
            try (PipelineProcess process = PipelineProcess.start("secure", run.writeConfig(dir), dir.resolve("secure-state"),
                    Map.of(), List.of("-Dretentionpulse.kafka.log.level=INFO"))) {
                Await.until(Duration.ofMinutes(2), "the pipeline to consume its input over SASL_SSL",
                        () -> run.remaining() == 0 || !process.isAlive());
                assertTrue(process.isAlive(), () -> "the pipeline process died:\n" + process.log());
            }
            long pipelineMs = (System.nanoTime() - started) / 1_000_000;
            String log = Files.readString(dir.resolve("secure.log"), StandardCharsets.UTF_8);
            for (String secret : List.of(APP_PASSWORD, TRUST_PASSWORD)) {
                assertFalse(log.contains(secret), "a secret appears in the pipeline's log");
            }
            assertTrue(log.contains("kafka.sasl.jaas.config = ******"), "the startup settings mask the JAAS config");
            assertTrue(log.contains("SASL_SSL"), "the log shows the protocol in use");
            assertTrue(log.contains("Rejected input records to the dead-letter topic since start, by reason: {"),
                    "on SIGTERM the process logs its rejection counts per reason");

            PipelineOutputs outputs = run.outputs();
            outputs.assertMatchesReference(stream.reference(List.of("plan")).finals());
            assertEquals(stream.reference(List.of("plan")).rejectedByReason().values().stream().mapToLong(Long::longValue).sum(),
                    outputs.deadLetters().size());
            System.out.printf("SecureConnectionIT: %d records over SASL_SSL/SCRAM-SHA-512, %d finals equal the reference model;"
                    + " certificates %d ms, broker with SCRAM user %d ms, pipeline process start to end of input %d ms%n",
                    stream.size(), outputs.finals().size(), certificatesMs, brokerMs, pipelineMs);
        }
    }

    @Test
    void wrongScramPasswordIsRefused() {
        assertInstanceOf(SaslAuthenticationException.class, scramFailure("not-" + APP_PASSWORD));
    }

    private static Properties adminClient() {
        Properties props = new Properties();
        props.putAll(broker.clientProperties());
        return props;
    }

    private static boolean scramWorks(String password) {
        return scramFailure(password) == null;
    }

    /** Why an admin client logging in with SCRAM-SHA-512 as the app user could not list topics; null if it could. */
    private static Throwable scramFailure(String password) {
        Properties props = adminClient();
        props.put(SaslConfigs.SASL_MECHANISM, "SCRAM-SHA-512");
        props.put(SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + APP_USER + "\" password=\"" + password + "\";");
        try (Admin admin = Admin.create(props)) {
            admin.listTopics().names().get(10, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            return e;
        }
    }

    /** A CA, a broker key pair for localhost signed by it, and a truststore holding the CA: JDK keytool only. */
    private static void makeCertificates(Path keystore, Path truststore) throws IOException, InterruptedException {
        Path ca = tls.resolve("ca.p12");
        Path csr = tls.resolve("broker.csr");
        Path cert = tls.resolve("broker.crt");
        Path caCert = tls.resolve("ca.crt");
        String san = "SAN=dns:localhost,ip:127.0.0.1";
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=retention-pulse-test-ca",
                "-ext", "bc:c", "-validity", "2", "-keystore", ca.toString(), "-storetype", "PKCS12", "-storepass", STORE_PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", ca.toString(), "-storepass", STORE_PASSWORD,
                "-file", caCert.toString());
        keytool("-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=localhost",
                "-ext", san, "-validity", "2", "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", STORE_PASSWORD);
        keytool("-certreq", "-alias", "broker", "-keystore", keystore.toString(), "-storepass", STORE_PASSWORD,
                "-file", csr.toString());
        keytool("-gencert", "-alias", "ca", "-keystore", ca.toString(), "-storepass", STORE_PASSWORD, "-infile", csr.toString(),
                "-outfile", cert.toString(), "-ext", san, "-validity", "2", "-rfc");
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", caCert.toString(), "-keystore", keystore.toString(),
                "-storepass", STORE_PASSWORD);
        keytool("-importcert", "-alias", "broker", "-file", cert.toString(), "-keystore", keystore.toString(),
                "-storepass", STORE_PASSWORD);
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", caCert.toString(), "-keystore", truststore.toString(),
                "-storetype", "PKCS12", "-storepass", TRUST_PASSWORD);
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("keytool " + String.join(" ", args) + " failed:\n" + output);
        }
    }
}
