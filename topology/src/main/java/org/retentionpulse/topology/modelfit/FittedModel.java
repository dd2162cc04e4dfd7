package org.retentionpulse.topology.modelfit;

import java.time.Duration;
import java.time.Instant;
import org.retentionpulse.schemas.ModelFit;
import org.retentionpulse.topology.model.BgNbd;
import org.retentionpulse.topology.model.CustomerModel;
import org.retentionpulse.topology.model.GammaGamma;

/**
 * One fit of the customer-lifetime model by a customer task.
 *
 * @param segment the customers it was fitted on ({@code all}: every customer of the task's sample)
 * @param partition the customer task (input partition) that fitted it
 * @param fittedAt the event-time instant it was fitted as of: summaries of the purchases before it, ages to the
 *                 day before it
 * @param purchases the BG/NBD fit (parameters, log-likelihood, customers)
 * @param spend the Gamma-Gamma fit (parameters, log-likelihood, repeat buyers)
 * @param fitMicros wall-clock time both fits took (informational: nothing depends on it)
 */
public record FittedModel(String segment, int partition, long fittedAt, BgNbd.Fit purchases, GammaGamma.Fit spend,
        long fitMicros) {

    public CustomerModel model(Duration horizon) {
        return new CustomerModel(purchases, spend, horizon);
    }

    /** The record published on the {@code retention-model} topic. */
    public ModelFit toRecord() {
        BgNbd bg = purchases.model();
        GammaGamma gg = spend.model();
        return ModelFit.newBuilder().setSegment(segment).setPartition(partition).setFittedAt(Instant.ofEpochMilli(fittedAt))
                .setR(bg.r()).setAlpha(bg.alpha()).setA(bg.a()).setB(bg.b())
                .setPurchasesLogLikelihood(purchases.logLikelihood()).setCustomers(purchases.customers())
                .setP(gg.p()).setQ(gg.q()).setV(gg.v()).setSpendLogLikelihood(spend.logLikelihood())
                .setRepeatBuyers(spend.customers()).setFitMicros(fitMicros).build();
    }
}
