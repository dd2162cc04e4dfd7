package org.retentionpulse.reference;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * One cohort cell's counts (section 9) and the values derived from them, rounded half-even to 4 decimals.
 *
 * @param customers n: members of the cohort in the segment
 * @param retained  members with at least one purchase in period c+k
 * @param active    members active at the instant period c+k ends
 * @param revenue   exact sum of the members' purchases in period c+k
 */
public record CohortCell(long customers, long retained, long active, BigDecimal revenue) {

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    public CohortCell {
        if (customers < 1) {
            throw new IllegalArgumentException("a published cell has at least one customer");
        }
    }

    public BigDecimal retention() {
        return per(HUNDRED.multiply(BigDecimal.valueOf(retained)));
    }

    public BigDecimal activeShare() {
        return per(HUNDRED.multiply(BigDecimal.valueOf(active)));
    }

    public BigDecimal revenuePerCustomer() {
        return per(revenue);
    }

    private BigDecimal per(BigDecimal numerator) {
        return numerator.divide(BigDecimal.valueOf(customers), 4, RoundingMode.HALF_EVEN);
    }

    /** Same counts and numerically equal revenue ({@code 0} equals {@code 0.00}). */
    public boolean sameAs(CohortCell other) {
        return customers == other.customers && retained == other.retained && active == other.active
                && revenue.compareTo(other.revenue) == 0;
    }
}
