package org.retentionpulse.app.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.function.Predicate;

/**
 * CPU time of the threads whose name contains a marker (the application id names every Kafka Streams thread
 * and its producer's network thread). CPU seconds do not stretch when other processes share the cores, so
 * events per CPU second compare fairly on a busy machine where wall-clock rates do not.
 */
public final class ThreadCpu {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private ThreadCpu() {
    }

    /** Nanoseconds of CPU used so far by live threads whose name contains {@code marker}. */
    public static long nanos(String marker) {
        return nanos(name -> name.contains(marker));
    }

    /**
     * Nanoseconds of CPU used so far by the Kafka Streams threads of {@code applicationId} themselves (named
     * {@code <client id>-StreamThread-<n>}), not their producers' network threads.
     */
    public static long streamThreadNanos(String applicationId) {
        return nanos(name -> name.contains(applicationId) && name.contains("-StreamThread-") && !name.contains("producer"));
    }

    private static long nanos(Predicate<String> names) {
        long total = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (names.test(t.getName())) {
                long cpu = THREADS.getThreadCpuTime(t.getId());
                total += Math.max(0, cpu);
            }
        }
        return total;
    }

    /** Nanoseconds of CPU used so far by the calling thread. */
    public static long currentThreadNanos() {
        return THREADS.getCurrentThreadCpuTime();
    }
}
