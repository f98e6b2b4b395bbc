package org.livernode.dicom;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.concurrent.atomic.AtomicInteger;

/** The node's Prometheus meters (at /q/metrics): instances, bytes, refusals by reason, associations. */
@ApplicationScoped
public class NodeMetrics {
    private final MeterRegistry registry;
    private final Counter instances;
    private final Counter bytes;
    private final AtomicInteger active = new AtomicInteger();

    @Inject
    public NodeMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.instances = Counter.builder("livernode.instances.received")
                .description("SOP instances stored and indexed").register(registry);
        this.bytes = Counter.builder("livernode.instances.received.bytes")
                .description("Bytes of stored instance files").baseUnit("bytes").register(registry);
        registry.gauge("livernode.associations.active", active);
    }

    void stored(long fileBytes) {
        instances.increment();
        bytes.increment(fileBytes);
    }

    void refused(DimseStatus status) {
        Counter.builder("livernode.instances.rejected").description("C-STORE requests answered with a failure status")
                .tag("reason", status.reason()).register(registry).increment();
    }

    /** @param outcome accepted, rejected-called-ae, rejected-calling-ae, rejected-busy, aborted */
    void association(String outcome) {
        Counter.builder("livernode.associations").description("Association requests by outcome")
                .tag("outcome", outcome).register(registry).increment();
    }

    void associationOpened() {
        active.incrementAndGet();
    }

    void associationClosed() {
        active.decrementAndGet();
    }
}
