package org.retentionpulse.app.http;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.retentionpulse.schemas.CohortCell;
import org.retentionpulse.topology.cohort.CohortTriangle;

/** Where the cohort cells of one segment are: this instance's store, or the owner's answer to the forwarded request. */
interface CohortCellSource {
    Found of(String segment, ApiServer.Request request);

    /** The outcome of a lookup. */
    sealed interface Found permits Local, Forwarded {
    }

    /** This instance owns the segment: its cells (possibly of other segments sharing the key range) and who served them. */
    record Local(List<CohortCell> cells, String servedBy) implements Found {
    }

    /** Another instance owns the segment: its reply, unchanged. */
    record Forwarded(ApiServer.Reply reply) implements Found {
    }

    /**
     * The {@value CohortTriangle#STORE} store of the cohort-stage task that owns the segment: every cell of a segment is
     * on that one task ({@link CohortTriangle#ownerPartitioner()}), so one range read answers, here or on the owner.
     */
    final class Streams implements CohortCellSource {
        private final KafkaStreams streams;
        private final ApiServer server;
        private final OwnerForwarder forwarder;

        Streams(KafkaStreams streams, ApiServer server) {
            this.streams = streams;
            this.server = server;
            this.forwarder = new OwnerForwarder(server);
        }

        @Override
        public Found of(String segment, ApiServer.Request request) {
            KeyQueryMetadata owner;
            try {
                owner = streams.queryMetadataForKey(CohortTriangle.STORE, segment, CohortTriangle.ownerPartitioner());
            } catch (IllegalStateException e) {
                throw ApiException.unavailable("not ready: " + e.getMessage());
            }
            if (owner == null || owner.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
                throw ApiException.unavailable("the owner of segment '" + segment + "' is not known yet (state " + streams.state() + ")");
            }
            if (!forwarder.isSelf(owner.activeHost())) {
                return new Forwarded(forwarder.forward(owner.activeHost(), request));
            }
            List<CohortCell> cells = new ArrayList<>();
            try {
                ReadOnlyKeyValueStore<String, CohortCell> store = streams.store(StoreQueryParameters.fromNameAndType(
                        CohortTriangle.STORE, QueryableStoreTypes.<String, CohortCell>keyValueStore()).withPartition(owner.partition()));
                try (KeyValueIterator<String, CohortCell> it = store.range(CohortTriangle.first(segment), CohortTriangle.last(segment))) {
                    it.forEachRemaining(kv -> cells.add(kv.value));
                }
            } catch (InvalidStateStoreException e) {
                throw ApiException.unavailable("store " + CohortTriangle.STORE + " partition " + owner.partition()
                        + " not queryable now: " + e.getMessage());
            }
            return new Local(cells, server.advertised());
        }
    }
}
