package org.retentionpulse.app.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.retentionpulse.app.deploy.GrafanaDashboards.Dashboard;
import org.retentionpulse.app.deploy.GrafanaDashboards.PanelQuery;
import org.retentionpulse.topology.metrics.Metric;

/** The provisioned dashboards are well-formed Grafana JSON wired to the provisioned Prometheus datasource. */
class GrafanaDashboardsTest {
    private static final Pattern VARIABLE_USE = Pattern.compile("\\$\\{?([a-zA-Z_][a-zA-Z0-9_]*)");
    private static final Pattern METRIC_LABEL = Pattern.compile("metric=\"([a-z_]+)\"");

    static String provisionedDatasourceUid() {
        JsonNode ds = Checkout.yaml(Checkout.file("deploy/grafana/provisioning/datasources/prometheus.yml")).path("datasources");
        assertEquals(1, ds.size(), "one provisioned datasource");
        assertEquals("prometheus", ds.get(0).path("type").asText());
        return ds.get(0).path("uid").asText();
    }

    @Test
    void theDashboardsExistWithUniqueUidsAndASchemaVersion() {
        List<Dashboard> all = GrafanaDashboards.all();
        Set<String> uids = new HashSet<>();
        for (Dashboard d : all) {
            assertFalse(d.uid().isBlank(), d.file() + ": uid");
            assertTrue(d.uid().length() <= 40, d.file() + ": Grafana uids have at most 40 characters");
            assertTrue(uids.add(d.uid()), "duplicate uid " + d.uid());
            assertFalse(d.title().isBlank(), d.file() + ": title");
            assertTrue(d.json().path("schemaVersion").asInt() >= 36, d.file() + ": schemaVersion");
            assertFalse(d.panels().isEmpty(), d.file() + ": panels");
        }
        Set<String> files = all.stream().map(d -> d.file().getFileName().toString()).collect(Collectors.toSet());
        assertEquals(Set.of("retention-overview.json", "alerts.json", "pipeline-health.json", "cohorts.json"), files);
    }

    @Test
    void everyPanelAndQueryUsesTheProvisionedDatasourceByUid() {
        String uid = provisionedDatasourceUid();
        List<String> wrong = new ArrayList<>();
        for (Dashboard d : GrafanaDashboards.all()) {
            for (JsonNode p : d.panels()) {
                if (p.path("type").asText().equals("row")) {
                    continue;
                }
                if (!uid.equals(p.path("datasource").path("uid").asText())) {
                    wrong.add(d.title() + " / " + p.path("title").asText());
                }
                assertTrue(p.path("targets").size() > 0, d.title() + " / " + p.path("title").asText() + ": no targets");
            }
            d.queries().forEach(q -> {
                if (!uid.equals(q.target().path("datasource").path("uid").asText())) {
                    wrong.add(q.toString());
                }
            });
            d.variables().forEach(v -> {
                if (!uid.equals(v.json().path("datasource").path("uid").asText())) {
                    wrong.add(d.title() + " / variable " + v.name());
                }
            });
        }
        assertEquals(List.of(), wrong, "panels, queries or variables not on datasource uid " + uid);
    }

    @Test
    void panelIdsAreUniqueAndPanelsFitTheGrid() {
        for (Dashboard d : GrafanaDashboards.all()) {
            Set<Integer> ids = new HashSet<>();
            for (JsonNode p : d.panels()) {
                assertTrue(ids.add(p.path("id").asInt()), d.title() + ": duplicate panel id " + p.path("id"));
                JsonNode g = p.path("gridPos");
                assertTrue(g.path("w").asInt() > 0 && g.path("x").asInt() + g.path("w").asInt() <= 24, d.title() + " / " + p.path("title") + ": gridPos");
            }
        }
    }

    @Test
    void everyQueryHasAnExpressionARefIdAndOnlyDefinedVariables() {
        for (Dashboard d : GrafanaDashboards.all()) {
            Set<String> defined = d.variables().stream().map(GrafanaDashboards.Variable::name).collect(Collectors.toSet());
            for (PanelQuery q : d.queries()) {
                assertFalse(q.expr().isBlank(), q + ": expr");
                assertFalse(q.target().path("refId").asText().isBlank(), q + ": refId");
                Matcher m = VARIABLE_USE.matcher(q.expr());
                while (m.find()) {
                    String name = m.group(1);
                    assertTrue(name.startsWith("__") || defined.contains(name), q + ": undefined variable $" + name);
                }
                PromQlMetricNames.in(q.expr()); // parses: balanced brackets and strings
            }
        }
    }

    @Test
    void theRetentionOverviewIsDrivenByWindowAndSegmentVariablesFromTheMetricGauge() {
        Dashboard overview = GrafanaDashboards.all().stream().filter(d -> d.file().endsWith("retention-overview.json")).findFirst().orElseThrow();
        var variables = overview.variables();
        assertEquals(List.of("window", "segment"), variables.stream().map(GrafanaDashboards.Variable::name).toList());
        for (var v : variables) {
            assertEquals("retention_pulse_metric_value", v.selector(), v.name());
            assertEquals(v.name(), v.label(), "label_values of the variable's own label");
        }
        for (PanelQuery q : overview.queries()) {
            assertTrue(q.expr().contains("window=~\"$window\"") && q.expr().contains("segment=~\"$segment\""),
                    q + ": filtered by both variables (multi-value, hence =~)");
        }
    }

    @Test
    void theRetentionOverviewChartsTheContractsMetricsBySpelling() {
        Set<String> contract = new TreeSet<>();
        for (Metric m : Metric.values()) {
            contract.add(m.key());
        }
        Dashboard overview = GrafanaDashboards.all().stream().filter(d -> d.file().endsWith("retention-overview.json")).findFirst().orElseThrow();
        Set<String> charted = new TreeSet<>();
        for (PanelQuery q : overview.queries()) {
            Matcher m = METRIC_LABEL.matcher(q.expr());
            while (m.find()) {
                charted.add(m.group(1));
            }
        }
        assertTrue(contract.containsAll(charted), "unknown metric label values: " + charted.stream().filter(c -> !contract.contains(c)).toList());
        assertTrue(charted.containsAll(Set.of("churn_rate", "retention_rate", "repeat_purchase_rate", "nps", "csat", "ces")), charted.toString());
        assertEquals(contract, charted, "every metric of the contract has a panel");
    }

    @Test
    void queriesSelectOnlyTheApplicationsMetricFamiliesOrPrometheusUpForTheScrapeJob() {
        String job = PrometheusConfig.appJob().path("job_name").asText();
        for (PanelQuery q : GrafanaDashboards.allQueries()) {
            for (String name : PromQlMetricNames.in(q.expr())) {
                if (name.equals("up")) {
                    assertTrue(q.expr().contains("job=\"" + job + "\""), q + ": up of the app's scrape job " + job);
                } else {
                    assertTrue(name.startsWith("retention_pulse_") || name.startsWith("kafka_"), q + ": " + name);
                }
            }
        }
    }
}
