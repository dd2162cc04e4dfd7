package org.retentionpulse.topology.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Fits that cannot be made fail loudly, naming the model and what is wrong, instead of returning numbers. */
class DegenerateFitTest {

    @Test
    void bgNbdWithoutRepeatBuyersFailsNamingWhatIsMissing() {
        List<CustomerSummary> oneTimers = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            oneTimers.add(new CustomerSummary(0, 0, 10 + i % 200, 0));
        }
        ModelFitException e = assertThrows(ModelFitException.class, () -> BgNbd.fit(oneTimers));
        assertTrue(e.getMessage().contains("BG/NBD") && e.getMessage().contains("got 0 of 500"), e::getMessage);
        assertEquals(ModelFitException.Reason.TOO_FEW_REPEAT_BUYERS, e.reason());
    }

    @Test
    void tooFewCustomersFailBothModels() {
        List<CustomerSummary> few = List.of(new CustomerSummary(2, 10, 30, 12.5), new CustomerSummary(0, 0, 30, 0));
        assertTrue(assertThrows(ModelFitException.class, () -> BgNbd.fit(few)).getMessage().contains("at least 10"));
        assertTrue(assertThrows(ModelFitException.class, () -> GammaGamma.fit(few)).getMessage().contains("Gamma-Gamma"));
        assertThrows(ModelFitException.class, () -> BgNbd.fit(List.of()));
    }

    @Test
    void aParameterThatRunsAwayIsReportedWithTheLastLikelihood() {
        // Everyone bought every single day of their life: nobody ever drops out, so a runs to 0 and b to infinity.
        List<CustomerSummary> tireless = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            int days = 20 + i;
            tireless.add(new CustomerSummary(days, days, days, 10));
        }
        ModelFitException e = assertThrows(ModelFitException.class, () -> BgNbd.fit(tireless));
        assertTrue(e.getMessage().contains("did not converge") && e.getMessage().contains("last log-likelihood"), e::getMessage);
        assertEquals(ModelFitException.Reason.NOT_IDENTIFIED, e.reason(), "a parameter ran off: " + e.getMessage());
    }

    @Test
    void identicalSpendsLeaveGammaGammaUnidentified() {
        List<CustomerSummary> same = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            same.add(new CustomerSummary(1 + i % 5, 5, 30, 20.0));
        }
        ModelFitException e = assertThrows(ModelFitException.class, () -> GammaGamma.fit(same));
        assertTrue(e.getMessage().startsWith("Gamma-Gamma fit"), e::getMessage);
    }

    @Test
    void parametersThatCannotPredictAreRefusedNamingWhy() {
        ModelFitException runaway = assertThrows(ModelFitException.class,
                () -> CustomerModel.requirePredictive(new BgNbd(0.3, 7, 1.1e6, 6.1e6)));
        assertTrue(runaway.getMessage().contains("not identified"), runaway.getMessage());
        ModelFitException small = assertThrows(ModelFitException.class,
                () -> CustomerModel.requirePredictive(new BgNbd(0.4, 7.7, 0.003, 0.21)));
        assertTrue(small.getMessage().contains("a + b"), small.getMessage());
        assertEquals(ModelFitException.Reason.NOT_IDENTIFIED, runaway.reason());
        assertEquals(ModelFitException.Reason.NOT_PREDICTIVE, small.reason());
        assertEquals("not_predictive", small.reason().code());
        CustomerModel.requirePredictive(new BgNbd(0.243, 4.414, 0.793, 2.426)); // CDNOW's: usable
    }
}
