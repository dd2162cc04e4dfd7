package org.retentionpulse.app.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.retentionpulse.schemas.RiskReason;
import org.retentionpulse.schemas.SurveyType;
import org.retentionpulse.topology.TopologyConfig;
import org.retentionpulse.topology.alerts.ChurnRiskScorer;
import org.retentionpulse.topology.alerts.CustomerProfile;
import org.retentionpulse.topology.alerts.RiskAssessment;
import org.retentionpulse.topology.customer.CustomerProcessor;
import org.retentionpulse.topology.customer.CustomerState;
import org.retentionpulse.topology.model.CustomerPrediction;
import org.retentionpulse.topology.model.CustomerSummary;
import org.retentionpulse.topology.model.ModelPolicy;
import org.retentionpulse.topology.model.ModelRisk;
import org.retentionpulse.topology.model.PurchaseDays;
import org.retentionpulse.topology.modelfit.FittedModel;
import org.retentionpulse.topology.modelfit.ModelAssessor;
import org.retentionpulse.topology.modelfit.ModelFitState;
import org.retentionpulse.topology.modelfit.ModelFitting;
import org.retentionpulse.topology.modelfit.ModelRefitter;

/**
 * {@code GET /api/customers/{id}/risk}: a customer's current churn-risk profile from the
 * {@value CustomerProcessor#STATE_STORE} store of the customer-stage task that owns the customer (default
 * key partitioning by customer id), here or forwarded to the owner; 404 for a customer never seen (or whose
 * profile expired). The assessment is the scorer's as of the owning task's stream time (so a customer who
 * stopped buying shows as inactive without an event of its own), or of its latest event if that is later.
 * With a model fitted by the owning task, the assessment is the one alerts are raised on ({@link ModelAssessor}:
 * the rules combined with the model) and {@code model.prediction} has P(alive), expected purchases and spend and
 * the predicted CLV over {@code model.horizon}, and {@code fit_segment}, the fit that scored it (its
 * {@code model.fit.segment-dimension} value's own fit once it has one, else {@code all}: {@link ModelRefitter#fitFor});
 * {@code model} is null for a customer without a purchase.
 */
public final class CustomerRiskQueries implements ApiServer.Route {
    public static final String PATH = "/api/customers/";
    private static final String SUFFIX = "/risk";

    private final KafkaStreams streams;
    private final ModelAssessor assessor;
    private final ModelPolicy modelPolicy;
    private final ModelFitting modelFitting;
    private final OwnerForwarder forwarder;
    private final ApiServer server;

    public CustomerRiskQueries(KafkaStreams streams, TopologyConfig topology, ApiServer server) {
        this.streams = streams;
        ChurnRiskScorer scorer = new ChurnRiskScorer(topology.alerts());
        this.modelFitting = topology.modelFitting();
        this.modelPolicy = modelFitting.policy();
        this.assessor = new ModelAssessor(scorer, new ModelRisk(modelPolicy, scorer));
        this.forwarder = new OwnerForwarder(server);
        this.server = server;
    }

    @Override
    public ApiServer.Reply handle(ApiServer.Request request) {
        String rest = request.exchange().getRequestURI().getRawPath().substring(PATH.length());
        if (!rest.endsWith(SUFFIX) || rest.length() == SUFFIX.length() || rest.substring(0, rest.length() - SUFFIX.length()).contains("/")) {
            throw ApiException.notFound("no such path: " + request.path() + " (expected /api/customers/{id}/risk)");
        }
        String customer = URLDecoder.decode(rest.substring(0, rest.length() - SUFFIX.length()), StandardCharsets.UTF_8);
        if (customer.isBlank()) {
            throw ApiException.badRequest("customer id is empty");
        }
        KeyQueryMetadata owner;
        try {
            owner = streams.queryMetadataForKey(CustomerProcessor.STATE_STORE, customer, Serdes.String().serializer());
        } catch (IllegalStateException e) {
            throw ApiException.unavailable("not ready: " + e.getMessage());
        }
        if (owner == null || owner.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
            throw ApiException.unavailable("the owner of customer '" + customer + "' is not known yet (state " + streams.state() + ")");
        }
        if (!forwarder.isSelf(owner.activeHost())) {
            return forwarder.forward(owner.activeHost(), request);
        }
        CustomerProfile profile;
        PurchaseDays purchases;
        FittedModel model;
        long streamTime;
        try {
            ReadOnlyKeyValueStore<String, CustomerState> store = streams.store(StoreQueryParameters.fromNameAndType(
                    CustomerProcessor.STATE_STORE, QueryableStoreTypes.<String, CustomerState>keyValueStore())
                    .withPartition(owner.partition()));
            CustomerState state = store.get(customer);
            profile = state == null ? null : state.profile();
            purchases = state == null ? null : state.purchases();
            ReadOnlyKeyValueStore<String, ModelFitState> fits = streams.store(StoreQueryParameters.fromNameAndType(
                    ModelRefitter.STORE, QueryableStoreTypes.<String, ModelFitState>keyValueStore())
                    .withPartition(owner.partition()));
            model = profile == null ? null : ModelRefitter.fitFor(modelFitting, profile, segment -> {
                ModelFitState fit = fits.get(segment);
                return fit == null ? null : fit.latest();
            });
            ReadOnlyKeyValueStore<String, Long> clock = streams.store(StoreQueryParameters.fromNameAndType(
                    CustomerProcessor.STREAM_TIME_STORE, QueryableStoreTypes.<String, Long>keyValueStore())
                    .withPartition(owner.partition()));
            Long time = clock.get(CustomerProcessor.STREAM_TIME_KEY);
            streamTime = time == null ? Long.MIN_VALUE : time;
        } catch (InvalidStateStoreException e) {
            throw ApiException.unavailable("store " + CustomerProcessor.STATE_STORE + " not queryable now: " + e.getMessage());
        }
        if (profile == null) {
            throw ApiException.notFound("unknown customer '" + customer + "'");
        }
        return ApiServer.Reply.json(200, body(customer, profile, purchases, model, Math.max(streamTime, profile.lastEventAt())));
    }

    private ObjectNode body(String customer, CustomerProfile p, PurchaseDays purchases, FittedModel fitted, long asOf) {
        ObjectNode body = ApiServer.JSON.createObjectNode();
        body.put("customer_id", customer);
        body.put("served_by", server.advertised());
        body.put("active", p.active());
        instant(body, "active_since", p.activeSince());
        body.put("plan", p.plan());
        body.put("country", p.country());
        body.put("channel", p.channel());
        body.put("purchase_count", p.purchaseCount());
        body.put("spend", BigDecimal.valueOf(p.spendCents(), 2));
        instant(body, "last_purchase_at", p.lastPurchaseAt());
        instant(body, "last_event_at", p.lastEventAt());
        long gap = p.typicalGapMs();
        if (gap > 0) {
            body.put("typical_gap_days", gap / 86_400_000.0);
        }
        ObjectNode surveys = body.putObject("latest_surveys");
        for (SurveyType type : SurveyType.values()) {
            CustomerProfile.SurveyAnswer answer = p.latest(type);
            if (answer != null) {
                surveys.putObject(type.name()).put("score", answer.score()).put("at", Instant.ofEpochMilli(answer.at()).toString());
            }
        }
        body.put("alerted_level", p.alertedLevel().name());
        body.put("alerts", p.alerts());
        instant(body, "next_check_at", p.dueAt());
        ModelAssessor.Assessed assessed = assessor.assess(p, purchases, fitted, asOf);
        model(body, assessed);
        RiskAssessment a = assessed.assessment();
        ObjectNode risk = body.putObject("risk");
        instant(risk, "as_of", a.asOf());
        risk.put("score", a.score());
        risk.put("level", a.level().name());
        ArrayNode reasons = risk.putArray("reasons");
        for (RiskReason r : a.reasons()) {
            ObjectNode reason = reasons.addObject();
            reason.put("signal", r.getSignal().name());
            reason.put("weight", r.getWeight());
            ObjectNode evidence = reason.putObject("evidence");
            r.getEvidence().forEach((k, v) -> evidence.put(k.toString(), v));
            reason.put("explanation", r.getExplanation().toString());
        }
        return body;
    }

    /** The customer's model summary and, once its task has a fit, the model's prediction over the horizon. */
    private void model(ObjectNode body, ModelAssessor.Assessed assessed) {
        if (assessed.summary() == null) {
            body.putNull("model");
            return;
        }
        ObjectNode model = body.putObject("model");
        CustomerSummary s = assessed.summary();
        model.put("repeat_purchases", s.x()).put("recency_days", s.tx()).put("age_days", s.T())
                .put("mean_repeat_spend", s.meanRepeatSpend());
        CustomerPrediction prediction = assessed.prediction();
        if (prediction == null) {
            model.putNull("prediction");
            return;
        }
        model.putObject("prediction")
                .put("fit_segment", assessed.fit().segment())
                .put("fitted_at", Instant.ofEpochMilli(assessed.fit().fittedAt()).toString())
                .put("horizon", modelPolicy.horizon().toString())
                .put("p_alive", prediction.pAlive())
                .put("expected_purchases", prediction.expectedPurchases())
                .put("expected_spend", prediction.expectedSpend())
                .put("predicted_clv", prediction.predictedClv());
    }

    private static void instant(ObjectNode node, String field, long epochMillis) {
        if (epochMillis == CustomerProfile.NONE || epochMillis == Long.MAX_VALUE) {
            node.putNull(field);
        } else {
            node.put(field, Instant.ofEpochMilli(epochMillis).toString());
        }
    }
}
