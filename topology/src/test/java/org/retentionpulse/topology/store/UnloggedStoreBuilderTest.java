package org.retentionpulse.topology.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.common.utils.Bytes;
import org.junit.jupiter.api.Test;

class UnloggedStoreBuilderTest {
    private final UnloggedStoreBuilder<KeyValueStore<Bytes, byte[]>> builder = new UnloggedStoreBuilder<>("scratch",
            () -> Stores.inMemoryKeyValueStore("scratch").get(), "rebuilt at start");

    @Test
    void buildsANewStoreEachTimeWithoutAChangelog() {
        assertNotSame(builder.build(), builder.build(), "one store per task");
        assertFalse(builder.loggingEnabled());
        assertEquals(Map.of(), builder.logConfig());
        assertEquals("scratch", builder.name());
        assertTrue(builder.withLoggingDisabled() == builder && builder.withCachingDisabled() == builder);
    }

    @Test
    void askingForAChangelogOrACacheFailsAndSaysWhy() {
        UnsupportedOperationException logged = assertThrows(UnsupportedOperationException.class,
                () -> builder.withLoggingEnabled(Map.of()));
        assertEquals("scratch is never logged: rebuilt at start", logged.getMessage());
        UnsupportedOperationException cached = assertThrows(UnsupportedOperationException.class, builder::withCachingEnabled);
        assertEquals("scratch has no record cache: rebuilt at start", cached.getMessage());
    }
}
