package org.livernode.dicom;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Associations held at once per caller (calling AE title at a host), so one caller cannot take every slot. */
final class CallerLimit {
    private final int max;
    private final ConcurrentMap<String, Integer> held = new ConcurrentHashMap<>();

    CallerLimit(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("livernode.dicom.max-associations-per-caller: must be >= 1, found " + max);
        }
        this.max = max;
    }

    boolean tryAcquire(String caller) {
        boolean[] granted = {false};
        held.compute(caller, (k, n) -> {
            int now = n == null ? 0 : n;
            granted[0] = now < max;
            return granted[0] ? now + 1 : (now == 0 ? null : now);
        });
        return granted[0];
    }

    void release(String caller) {
        held.computeIfPresent(caller, (k, n) -> n <= 1 ? null : n - 1);
    }
}
