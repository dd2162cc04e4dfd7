package org.retentionpulse.topology.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.retentionpulse.schemas.RiskReason;
import org.retentionpulse.schemas.RiskSignal;

/**
 * The INACTIVE signal on real purchase histories (CDNOW, 23,570 customers, 1997-1998; see
 * {@code src/test/resources/cdnow/README.md}): customers flagged at the end of a 39-week calibration period
 * come back in the following 39 weeks far less often than those not flagged. Checks that the default policy
 * separates customers, not a fitted number.
 */
class InactivityPredictsChurnOnCdnowTest {
    private static final long CALIBRATION_END = epochMillis(LocalDate.of(1997, 10, 1));

    private record Purchase(long at, long cents) {
    }

    private static long epochMillis(LocalDate date) {
        return date.atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
    }

    private static Map<String, List<Purchase>> histories() throws IOException {
        Map<String, List<Purchase>> byCustomer = new HashMap<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(
                InactivityPredictsChurnOnCdnowTest.class.getResourceAsStream("/cdnow/CDNOW_master.txt.gz")), StandardCharsets.US_ASCII))) {
            in.readLine(); // header
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String[] f = line.trim().split("\\s+");
                LocalDate date = LocalDate.of(Integer.parseInt(f[1].substring(0, 4)), Integer.parseInt(f[1].substring(4, 6)),
                        Integer.parseInt(f[1].substring(6, 8)));
                byCustomer.computeIfAbsent(f[0], k -> new ArrayList<>())
                        .add(new Purchase(epochMillis(date), new BigDecimal(f[3]).movePointRight(2).longValueExact()));
            }
        }
        return byCustomer;
    }

    /** Customers and those of them who buy again after the calibration period. */
    private static final class Group {
        int customers;
        int returned;

        double returnRate() {
            return (double) returned / customers;
        }
    }

    @Test
    void customersFlaggedInactiveAreFarLessLikelyToBuyAgain() throws IOException {
        Map<String, List<Purchase>> histories = histories();
        assertEquals(23_570, histories.size());
        ChurnRiskScorer scorer = new ChurnRiskScorer(AlertPolicy.defaults());
        Map<String, Group> groups = new HashMap<>();
        for (List<Purchase> history : histories.values()) {
            history.sort((a, b) -> Long.compare(a.at(), b.at()));
            CustomerProfile profile = new CustomerProfile();
            profile.signup(history.get(0).at(), null, null, null);
            boolean returned = false;
            for (Purchase p : history) {
                if (p.at() < CALIBRATION_END) {
                    profile.purchase(p.at(), p.cents());
                } else {
                    returned = true;
                }
            }
            boolean flagged = scorer.assess(profile, CALIBRATION_END).reasons().stream()
                    .map(RiskReason::getSignal).anyMatch(RiskSignal.INACTIVE::equals);
            String key = (profile.typicalGapMs() >= 0 ? "own rhythm" : "no rhythm") + (flagged ? ", flagged" : ", not flagged");
            Group g = groups.computeIfAbsent(key, k -> new Group());
            g.customers++;
            g.returned += returned ? 1 : 0;
        }
        StringBuilder table = new StringBuilder();
        groups.forEach((k, g) -> table.append(String.format("%-26s %6d customers, %5.1f%% buy again%n", k, g.customers, 100 * g.returnRate())));
        System.out.print(table);

        for (String rhythm : List.of("own rhythm", "no rhythm")) {
            Group flagged = groups.get(rhythm + ", flagged");
            Group notFlagged = groups.get(rhythm + ", not flagged");
            assertTrue(flagged.customers > 500 && notFlagged.customers > 500, table::toString);
            assertTrue(flagged.returnRate() < 0.75 * notFlagged.returnRate(),
                    () -> rhythm + ": flagged customers should return far less often\n" + table);
        }
    }
}
