package org.retentionpulse.topology.model;

/**
 * What the fitted model predicts for one customer over the model's horizon.
 *
 * @param pAlive P(alive) now (1 for customers without repeat purchases, by construction of BG/NBD)
 * @param expectedPurchases expected purchases in the horizon, E[X(h) | x, t_x, T]
 * @param expectedSpend expected value per purchase (Gamma-Gamma; the population mean for x = 0)
 * @param predictedClv expected purchases × expected spend: the value expected in the horizon, undiscounted
 */
public record CustomerPrediction(double pAlive, double expectedPurchases, double expectedSpend, double predictedClv) {
}
