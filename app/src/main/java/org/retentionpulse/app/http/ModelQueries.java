package org.retentionpulse.app.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.retentionpulse.app.observability.ModelFits;
import org.retentionpulse.schemas.ModelFit;
import org.retentionpulse.topology.TopologyConfig;
import org.retentionpulse.topology.customer.Dimension;
import org.retentionpulse.topology.modelfit.ModelFitting;

/**
 * {@code GET /api/model}: the latest customer-lifetime model fits of every customer task (from the
 * {@code retention-model} topic, so any instance answers for all): its overall fit ({@code segment} {@code all}) and
 * those of the {@code model.fit.segment-dimension} values with enough repeat buyers ({@code plan=pro}), with the
 * schedule they are fitted on. Each task scores its own customers with its own fits (a customer with its value's
 * fit if there is one, else the overall one); {@code fits} is empty until the first fit succeeds (or when
 * {@code model.fit.interval} is {@code PT0S}: no model in the stream).
 */
public final class ModelQueries implements ApiServer.Route {
    public static final String PATH = "/api/model";

    private final ModelFits fits;
    private final ModelFitting fitting;
    private final String topic;

    public ModelQueries(ModelFits fits, TopologyConfig topology) {
        this.fits = fits;
        this.fitting = topology.modelFitting();
        this.topic = topology.topics().model();
    }

    @Override
    public ApiServer.Reply handle(ApiServer.Request request) {
        ObjectNode body = ApiServer.JSON.createObjectNode();
        body.put("enabled", fitting.enabled());
        body.put("fit_interval", fitting.interval().toString());
        body.put("fit_sample_size", fitting.policy().fitSampleSize());
        body.put("fit_segment_dimension", fitting.segmentDimension().map(Dimension::key).orElse("none"));
        body.put("fit_segment_min_repeat_buyers", fitting.segmentMinRepeatBuyers());
        body.put("horizon", fitting.policy().horizon().toString());
        body.put("topic", topic);
        ArrayNode list = body.putArray("fits");
        for (ModelFit f : fits.latest()) {
            ObjectNode fit = list.addObject();
            fit.put("segment", f.getSegment());
            fit.put("partition", f.getPartition());
            fit.put("fitted_at", f.getFittedAt().toString());
            fit.put("fit_seconds", f.getFitMicros() / 1e6);
            fit.putObject("bgnbd").put("r", f.getR()).put("alpha_days", f.getAlpha()).put("a", f.getA()).put("b", f.getB())
                    .put("log_likelihood", f.getPurchasesLogLikelihood()).put("customers", f.getCustomers());
            fit.putObject("gamma_gamma").put("p", f.getP()).put("q", f.getQ()).put("v", f.getV())
                    .put("log_likelihood", f.getSpendLogLikelihood()).put("repeat_buyers", f.getRepeatBuyers());
        }
        return ApiServer.Reply.json(200, body);
    }
}
