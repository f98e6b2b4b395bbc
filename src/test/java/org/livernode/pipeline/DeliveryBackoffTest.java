package org.livernode.pipeline;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The queue's wait between delivery attempts: doubling from the initial backoff, never above the maximum. */
class DeliveryBackoffTest {

    @Test
    void doublesUpToTheMaximum() {
        assertEquals(List.of(2000L, 4000L, 8000L, 16000L, 32000L, 60000L, 60000L),
                Stream.of(1, 2, 3, 4, 5, 6, 7).map(n -> DeliveryStep.backoffAfter(n, Duration.ofSeconds(2),
                        Duration.ofMinutes(1)).toMillis()).toList());
    }
}
