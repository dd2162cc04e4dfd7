package org.retentionpulse.app.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.retentionpulse.topology.RetentionPulseTopology;
import org.retentionpulse.topology.alerts.ChurnRiskTracker;

/**
 * Deletes everything an application id's state consists of, as Kafka's streams reset tool and streams-bootstrap's
 * {@code clean} do: its internal topics (changelogs and repartition topics, found as the {@code StreamsResetter}
 * finds them: {@code <application.id>-...-changelog} / {@code -repartition}; and the built-for record), its
 * committed offsets (the consumer group, or streams group, named after the application id) and its local state
 * directory ({@code state.dir/<application.id>}). Input and output topics are left alone: the next start reads the
 * input from the beginning and rebuilds the state for its settings.
 */
public final class ApplicationReset implements AutoCloseable {
    private static final Set<GroupState> IDLE = Set.of(GroupState.EMPTY, GroupState.DEAD);

    private final Admin admin;
    private final String applicationId;
    private final Path localState;

    public ApplicationReset(Properties clientProperties, String applicationId, Path stateDir) {
        this.admin = Admin.create(clientProperties);
        this.applicationId = applicationId;
        this.localState = stateDir.resolve(applicationId);
    }

    /** What a reset deletes. */
    public record Plan(String applicationId, Optional<GroupListing> group, List<String> internalTopics, Optional<Path> localState) {
        public boolean isEmpty() {
            return group.isEmpty() && internalTopics.isEmpty() && localState.isEmpty();
        }

        public String describe() {
            return "application.id '" + applicationId + "':\n"
                    + "  committed offsets: " + group.map(g -> "group " + g.groupId() + g.type().map(t -> " (" + t + ")").orElse(""))
                            .orElse("none") + "\n"
                    + "  internal topics: " + (internalTopics.isEmpty() ? "none" : String.join(", ", internalTopics)) + "\n"
                    + "  local state: " + localState.map(Path::toString).orElse("none on this machine") + "\n";
        }
    }

    /**
     * The application's built-for record and the changelog and repartition topics of its topology, by exact name
     * ({@link RetentionPulseTopology#internalTopics}): a prefix would also take the topics of an application id that
     * starts with this one and a dash. Also the changelog of {@value ChurnRiskTracker#DUE_INDEX_STORE}, which earlier
     * releases logged (docs/RELIABILITY.md, upgrading).
     */
    static Set<String> internalTopics(String applicationId) {
        Set<String> topics = new TreeSet<>(RetentionPulseTopology.internalTopics(applicationId));
        topics.add(BuiltForCheck.topic(applicationId));
        topics.add(RetentionPulseTopology.changelogTopic(applicationId, ChurnRiskTracker.DUE_INDEX_STORE));
        return topics;
    }

    public Plan plan() {
        Set<String> internal = internalTopics(applicationId);
        List<String> topics = call(admin.listTopics().names()).stream().filter(internal::contains).sorted().toList();
        Optional<GroupListing> group = group();
        return new Plan(applicationId, group, topics, Files.isDirectory(localState) ? Optional.of(localState) : Optional.empty());
    }

    private Optional<GroupListing> group() {
        return call(admin.listGroups().all()).stream().filter(g -> g.groupId().equals(applicationId)).findFirst();
    }

    /**
     * Waits until no instance is a member of the group: a stopped Kafka Streams instance stays a member until its
     * session timeout (45 s by default).
     *
     * @throws IllegalStateException if members remain after {@code timeout}: an instance is still running
     */
    public void awaitNoMembers(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Optional<GroupState> state;
        while ((state = group().flatMap(GroupListing::groupState)).isPresent() && !IDLE.contains(state.get())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the group " + applicationId + " still has members (" + state.get() + ") after "
                        + timeout + ": stop every instance of the application first");
            }
            TimeUnit.MILLISECONDS.sleep(500);
        }
    }

    /** Deletes what {@code plan} lists and waits until the topics are gone, so the next start can create them anew. */
    public void execute(Plan plan) throws InterruptedException {
        plan.group().ifPresent(g -> {
            try {
                call(g.type().orElse(GroupType.CLASSIC) == GroupType.STREAMS
                        ? admin.deleteStreamsGroups(List.of(g.groupId())).all()
                        : admin.deleteConsumerGroups(List.of(g.groupId())).all());
            } catch (IllegalStateException e) {
                if (!(e.getCause() instanceof GroupIdNotFoundException)) {
                    throw e;
                }
            }
        });
        if (!plan.internalTopics().isEmpty()) {
            call(admin.deleteTopics(plan.internalTopics()).all());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (call(admin.listTopics().names()).stream().anyMatch(plan.internalTopics()::contains)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the internal topics were not deleted within 60 s: " + plan.internalTopics());
                }
                TimeUnit.MILLISECONDS.sleep(200);
            }
        }
        plan.localState().ifPresent(ApplicationReset::deleteRecursively);
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the local state " + dir + ": " + e.getMessage(), e);
        }
    }

    private static <T> T call(org.apache.kafka.common.KafkaFuture<T> future) {
        try {
            return future.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the cluster did not answer within 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
