package org.retentionpulse.app.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** deploy/prometheus/prometheus.yml is a configuration Prometheus itself accepts. */
class PrometheusConfigTest {
    @Test
    void promtoolAcceptsTheConfiguration() throws Exception {
        Optional<Path> promtool = PrometheusServer.installed("promtool");
        assumeTrue(promtool.isPresent(), "promtool not installed (it comes with Debian's prometheus package): "
                + "skipping the check of " + PrometheusConfig.PATH + " by Prometheus' own validator");
        Process check = new ProcessBuilder(promtool.get().toString(), "check", "config", Checkout.file(PrometheusConfig.PATH).toString())
                .redirectErrorStream(true).start();
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(check.waitFor(30, TimeUnit.SECONDS), "promtool finished");
        assertEquals(0, check.exitValue(), output);
    }
}
