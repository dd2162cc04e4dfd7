package org.retentionpulse.schemas.serde;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import org.apache.avro.specific.SpecificRecord;
import org.retentionpulse.schemas.ChurnRiskAlert;
import org.retentionpulse.schemas.MetricAlert;
import org.retentionpulse.schemas.CohortCell;
import org.retentionpulse.schemas.ModelFit;
import org.retentionpulse.schemas.MetricUpdate;

/**
 * The canonical JSON forms of the contract: input events as JSON Lines (docs/METRICS.md section 1), metric updates
 * (docs/METRICS.md section 5) and churn-risk alerts. Formatting is deterministic (fixed field order, optional fields
 * omitted when null) and every {@code parse*} method is the inverse of its {@code format*} method.
 *
 * <p>Instants are ISO-8601 UTC strings ({@link DateTimeFormatter#ISO_INSTANT}: milliseconds only when
 * non-zero). Event parsing is strict (docs/METRICS.md section 1: {@code occurred_at} an ISO-8601 string, {@code amount} a
 * decimal string); the output parsers also accept epoch milliseconds as a JSON integer. Money and metric values go through
 * {@link java.math.BigDecimal} built from the token text, never through {@code double}.
 *
 * <p>All methods are thread-safe.
 */
public final class CanonicalJson {

    /** Shared and thread-safe; duplicate keys make a line ambiguous, so they are rejected. */
    static final JsonFactory JSON_FACTORY = JsonFactory.builder()
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .build();

    /** For the output records, whose nesting is easier to read as a tree; floats stay exact decimals. */
    static final ObjectMapper TREE_MAPPER = new ObjectMapper(JSON_FACTORY)
        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private CanonicalJson() {
    }

    /**
     * Parses one JSON Lines event and checks it with {@link EventRules#validate}.
     *
     * @param line              one JSON object with a {@code "type"} field; unknown extra fields are ignored
     * @param reportingCurrency the only currency a purchase may have
     * @return a {@link org.retentionpulse.schemas.Signup}, {@link org.retentionpulse.schemas.Purchase},
     *         {@link org.retentionpulse.schemas.Cancellation} or {@link org.retentionpulse.schemas.SurveyResponse}
     * @throws InvalidEventException if the line is not JSON, not an event, or breaks a rule
     */
    public static SpecificRecord parseEvent(String line, String reportingCurrency) {
        if (line == null) {
            throw new InvalidEventException(RejectReason.EMPTY_RECORD, "no JSON text (null)");
        }
        try (JsonParser parser = JSON_FACTORY.createParser(line)) {
            return EventJson.parse(parser, reportingCurrency);
        } catch (JsonProcessingException e) {
            throw notJson(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@link #parseEvent(String, String)} for UTF-8 bytes, e.g. a Kafka record value. */
    public static SpecificRecord parseEvent(byte[] utf8, String reportingCurrency) {
        if (utf8 == null) {
            throw new InvalidEventException(RejectReason.EMPTY_RECORD, "no JSON text (null)");
        }
        try (JsonParser parser = JSON_FACTORY.createParser(utf8)) {
            return EventJson.parse(parser, reportingCurrency);
        } catch (JsonProcessingException e) {
            throw notJson(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The canonical JSON form of an event: {@code type, event_id, customer_id, occurred_at}, then the
     * type's own fields in schema order, optional ones omitted when null, {@code amount} as a string
     * with two decimals. {@code parseEvent(formatEvent(e))} equals {@code e}.
     *
     * @throws IllegalArgumentException if {@code event} is not one of the four event records
     */
    public static String formatEvent(SpecificRecord event) {
        return write(generator -> EventJson.write(generator, event));
    }

    /**
     * The JSON form of docs/METRICS.md section 5: {@code metric, window, window_start, window_end, segment, value,
     * components, final, computed_at}. {@code value} is a JSON number without trailing zeros and never in
     * exponent notation (or {@code null}); {@code components} holds only the non-null inputs, counts as
     * integers and {@code R} with its exact decimal text.
     */
    public static String formatMetricUpdate(MetricUpdate update) {
        return write(generator -> MetricUpdateJson.write(generator, update));
    }

    /**
     * The inverse of {@link #formatMetricUpdate}: {@code value} comes back at scale 4 and {@code R} at
     * scale 2, the scales of the Avro schema.
     *
     * @throws InvalidEventException if the line is not a metric update
     */
    public static MetricUpdate parseMetricUpdate(String line) {
        return MetricUpdateJson.read(readTree(line));
    }

    /**
     * The JSON form of an alert: snake_case keys as in the Avro schema, enums as symbol names, instants as
     * ISO strings, {@code reasons} as an array of {@code {signal, weight, evidence, explanation}} with the
     * evidence keys sorted; {@code plan}, {@code country} and {@code channel} omitted when null.
     */
    public static String formatAlert(ChurnRiskAlert alert) {
        return write(generator -> ChurnRiskAlertJson.write(generator, alert));
    }

    /**
     * The inverse of {@link #formatAlert}. An unknown signal reads as {@code OTHER}, the schema's default.
     *
     * @throws InvalidEventException if the line is not an alert
     */
    public static ChurnRiskAlert parseAlert(String line) {
        return ChurnRiskAlertJson.read(readTree(line));
    }

    /** The JSON form of a metric alert: every schema field in schema order (see {@link MetricAlertJson}). */
    public static String formatMetricAlert(MetricAlert alert) {
        return write(generator -> MetricAlertJson.write(generator, alert));
    }

    /**
     * The inverse of {@link #formatMetricAlert}.
     *
     * @throws InvalidEventException if the line is not a metric alert
     */
    public static MetricAlert parseMetricAlert(String line) {
        return MetricAlertJson.read(readTree(line));
    }

    /** The JSON form of a cohort cell, contract section 9 (see {@link CohortCellJson}). */
    public static String formatCohortCell(CohortCell cell) {
        return write(generator -> CohortCellJson.write(generator, cell));
    }

    /**
     * The inverse of {@link #formatCohortCell}: {@code revenue} comes back at scale 2, the values at scale 4.
     *
     * @throws InvalidEventException if the line is not a cohort cell
     */
    public static CohortCell parseCohortCell(String line) {
        return CohortCellJson.read(readTree(line));
    }

    /** The compactable key of a cohort cell on {@code retention-cohorts}: {@code period|segment|cohort_start|k}. */
    public static String cohortCellKey(CohortCell cell) {
        return CohortCellJson.compactionKey(cell);
    }

    /** The JSON form of a model fit on {@code retention-model} (see {@link ModelFitJson}). */
    public static String formatModelFit(ModelFit fit) {
        return write(generator -> ModelFitJson.write(generator, fit));
    }

    /**
     * The inverse of {@link #formatModelFit}.
     *
     * @throws InvalidEventException if the line is not a model fit
     */
    public static ModelFit parseModelFit(String line) {
        return ModelFitJson.read(readTree(line));
    }

    static String formatInstant(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant);
    }

    /** An ISO-8601 instant, truncated to the milliseconds the schemas keep. */
    static Instant parseInstant(String text, String field) {
        try {
            Instant instant = Instant.parse(text).truncatedTo(ChronoUnit.MILLIS);
            instant.toEpochMilli(); // rejects instants the timestamp-millis fields cannot hold
            return instant;
        } catch (DateTimeException | ArithmeticException e) {
            throw badTimestamp(field, "\"" + text + "\"");
        }
    }

    /** Epoch milliseconds written as a JSON integer. */
    static Instant parseEpochMillis(String digits, String field) {
        try {
            return Instant.ofEpochMilli(Long.parseLong(digits));
        } catch (NumberFormatException e) {
            throw badTimestamp(field, digits);
        }
    }

    /** A timestamp node of a tree: an ISO string or integral epoch milliseconds. */
    static Instant instant(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            throw missingField(field);
        }
        if (node.isTextual()) {
            return parseInstant(node.textValue(), field);
        }
        if (node.isIntegralNumber()) {
            return parseEpochMillis(node.asText(), field);
        }
        throw badTimestamp(field, node.toString());
    }

    static InvalidEventException badTimestamp(String field, String value) {
        return new InvalidEventException(RejectReason.BAD_TIMESTAMP,
            field + " " + value + " is neither an ISO-8601 instant nor epoch milliseconds in range");
    }

    static InvalidEventException missingField(String field) {
        return new InvalidEventException(RejectReason.MISSING_FIELD, field + " is missing");
    }

    static InvalidEventException wrongType(String field, String expected, Object actual) {
        return new InvalidEventException(RejectReason.WRONG_TYPE,
            field + " must be " + expected + ", got " + actual);
    }

    private static JsonNode readTree(String line) {
        if (line == null) {
            throw new InvalidEventException(RejectReason.EMPTY_RECORD, "no JSON text (null)");
        }
        JsonNode root;
        try {
            root = TREE_MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            throw notJson(e);
        }
        if (root == null || !root.isObject()) {
            throw new InvalidEventException(RejectReason.NOT_JSON,
                "expected a JSON object, got " + (root == null || root.isMissingNode() ? "nothing" : root.getNodeType()));
        }
        return root;
    }

    private static InvalidEventException notJson(JsonProcessingException e) {
        return new InvalidEventException(RejectReason.NOT_JSON, "not JSON: " + e.getOriginalMessage(), e);
    }

    private static String write(JsonWriting writing) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator generator = JSON_FACTORY.createGenerator(out)) {
            writing.writeTo(generator);
        } catch (IOException e) {
            // A StringWriter does not fail; anything else is a bug worth surfacing as such.
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    @FunctionalInterface
    private interface JsonWriting {
        void writeTo(JsonGenerator generator) throws IOException;
    }
}
