package org.livernode.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;

/** The node's clock for leases and delivery backoff, injected so tests can move it instead of sleeping. */
@ApplicationScoped
public class SystemClock {

    @Produces
    @Singleton // not a client proxy: java.time.Clock cannot be subclassed in its package
    Clock clock() {
        return Clock.systemUTC();
    }
}
