package org.retentionpulse.tools.generator;

/**
 * One simulated customer as the population sees it: the time of its next event, and the event on demand. A
 * customer is a small state machine, so a population costs memory per customer, never per event.
 */
interface SimulatedCustomer {

    /** Event time that means "no more events". */
    long NEVER = Long.MAX_VALUE;

    /** The customer's number in the population: breaks ties between customers with events at the same time. */
    int index();

    /** Event time of the next event in epoch milliseconds, or {@link #NEVER} when the customer is done. */
    long nextAt();

    /** Produces the next event and schedules the one after it. Call only while {@link #nextAt()} is not NEVER. */
    GeneratedEvent emit(EventIds ids);
}
