package org.retentionpulse.app.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The Grafana dashboards in {@code deploy/grafana/dashboards}: their panels' queries and template variables. */
final class GrafanaDashboards {
    static final String DIRECTORY = "deploy/grafana/dashboards";
    private static final Pattern LABEL_VALUES = Pattern.compile("^\\s*label_values\\((.*),\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*\\)\\s*$");

    /** One dashboard file. */
    record Dashboard(Path file, JsonNode json) {
        String uid() {
            return json.path("uid").asText();
        }

        String title() {
            return json.path("title").asText();
        }

        /** Every panel, including those nested in (collapsed) rows; rows themselves included. */
        List<JsonNode> panels() {
            List<JsonNode> out = new ArrayList<>();
            for (JsonNode p : json.path("panels")) {
                out.add(p);
                p.path("panels").forEach(out::add);
            }
            return out;
        }

        List<PanelQuery> queries() {
            List<PanelQuery> out = new ArrayList<>();
            for (JsonNode p : panels()) {
                for (JsonNode t : p.path("targets")) {
                    out.add(new PanelQuery(this, p, t));
                }
            }
            return out;
        }

        List<Variable> variables() {
            List<Variable> out = new ArrayList<>();
            for (JsonNode v : json.path("templating").path("list")) {
                JsonNode q = v.path("query");
                String query = q.isObject() ? q.path("query").asText() : q.asText();
                out.add(new Variable(this, v, v.path("name").asText(), query));
            }
            return out;
        }
    }

    /** A panel's query (target). */
    record PanelQuery(Dashboard dashboard, JsonNode panel, JsonNode target) {
        String expr() {
            return target.path("expr").asText();
        }

        boolean instant() {
            return target.path("instant").asBoolean(false);
        }

        @Override
        public String toString() {
            return dashboard.title() + " / " + panel.path("title").asText() + " / " + target.path("refId").asText() + ": " + expr();
        }
    }

    /** A template variable; for a query variable, {@code label_values(SELECTOR, LABEL)}. */
    record Variable(Dashboard dashboard, JsonNode json, String name, String query) {
        /** The selector of a {@code label_values} query. */
        String selector() {
            return labelValues().group(1).trim();
        }

        /** The label of a {@code label_values} query. */
        String label() {
            return labelValues().group(2);
        }

        private Matcher labelValues() {
            Matcher m = LABEL_VALUES.matcher(query);
            if (!m.matches()) {
                throw new IllegalArgumentException(dashboard.title() + ": variable " + name + " is not label_values(selector, label): " + query);
            }
            return m;
        }
    }

    private GrafanaDashboards() {
    }

    static List<Dashboard> all() {
        Path dir = Checkout.file(DIRECTORY);
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted()
                    .map(f -> new Dashboard(f, Checkout.json(f))).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<PanelQuery> allQueries() {
        return all().stream().flatMap(d -> d.queries().stream()).toList();
    }

    static List<Variable> allVariables() {
        return all().stream().flatMap(d -> d.variables().stream()).toList();
    }
}
