package org.retentionpulse.tools.generator;

/** Told about a long {@link EventGenerator#writeTo} run about once a second, and once when it ends. */
@FunctionalInterface
public interface ProgressListener {

    /** Ignores progress. */
    ProgressListener NONE = progress -> { };

    void onProgress(GenerationProgress progress);
}
