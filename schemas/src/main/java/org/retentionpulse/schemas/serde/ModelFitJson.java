package org.retentionpulse.schemas.serde;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import org.retentionpulse.schemas.ModelFit;

/**
 * Reads and writes a model fit as one flat JSON object with the schema's field names: {@code segment, partition,
 * fitted_at} (ISO-8601), the parameters and log-likelihoods as JSON numbers, {@code customers, repeat_buyers,
 * fit_micros} as integers.
 */
final class ModelFitJson {
    private ModelFitJson() {
    }

    static void write(JsonGenerator out, ModelFit fit) throws IOException {
        out.writeStartObject();
        out.writeStringField("segment", fit.getSegment());
        out.writeNumberField("partition", fit.getPartition());
        out.writeStringField("fitted_at", CanonicalJson.formatInstant(fit.getFittedAt()));
        out.writeNumberField("r", fit.getR());
        out.writeNumberField("alpha", fit.getAlpha());
        out.writeNumberField("a", fit.getA());
        out.writeNumberField("b", fit.getB());
        out.writeNumberField("purchases_log_likelihood", fit.getPurchasesLogLikelihood());
        out.writeNumberField("customers", fit.getCustomers());
        out.writeNumberField("p", fit.getP());
        out.writeNumberField("q", fit.getQ());
        out.writeNumberField("v", fit.getV());
        out.writeNumberField("spend_log_likelihood", fit.getSpendLogLikelihood());
        out.writeNumberField("repeat_buyers", fit.getRepeatBuyers());
        out.writeNumberField("fit_micros", fit.getFitMicros());
        out.writeEndObject();
    }

    static ModelFit read(JsonNode root) {
        return ModelFit.newBuilder()
            .setSegment(JsonFields.text(root, "segment"))
            .setPartition(Math.toIntExact(JsonFields.integer(root, "partition")))
            .setFittedAt(CanonicalJson.instant(root.get("fitted_at"), "fitted_at"))
            .setR(JsonFields.number(root, "r"))
            .setAlpha(JsonFields.number(root, "alpha"))
            .setA(JsonFields.number(root, "a"))
            .setB(JsonFields.number(root, "b"))
            .setPurchasesLogLikelihood(JsonFields.number(root, "purchases_log_likelihood"))
            .setCustomers(Math.toIntExact(JsonFields.integer(root, "customers")))
            .setP(JsonFields.number(root, "p"))
            .setQ(JsonFields.number(root, "q"))
            .setV(JsonFields.number(root, "v"))
            .setSpendLogLikelihood(JsonFields.number(root, "spend_log_likelihood"))
            .setRepeatBuyers(Math.toIntExact(JsonFields.integer(root, "repeat_buyers")))
            .setFitMicros(JsonFields.integer(root, "fit_micros"))
            .build();
    }

}
