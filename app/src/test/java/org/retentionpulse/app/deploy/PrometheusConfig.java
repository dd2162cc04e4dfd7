package org.retentionpulse.app.deploy;

import com.fasterxml.jackson.databind.JsonNode;

/** {@code deploy/prometheus/prometheus.yml}: the scrape job of the app. */
final class PrometheusConfig {
    static final String PATH = "deploy/prometheus/prometheus.yml";

    private PrometheusConfig() {
    }

    static JsonNode root() {
        return Checkout.yaml(Checkout.file(PATH));
    }

    /** The one scrape job of the app (named retention-pulse). */
    static JsonNode appJob() {
        for (JsonNode job : root().path("scrape_configs")) {
            if (job.path("job_name").asText().equals("retention-pulse")) {
                return job;
            }
        }
        throw new AssertionError(PATH + " has no retention-pulse scrape job");
    }
}
