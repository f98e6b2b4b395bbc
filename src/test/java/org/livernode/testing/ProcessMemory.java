package org.livernode.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test-only: the resident set size of this JVM (a @QuarkusTest node runs in it), as the kernel counts it. */
public final class ProcessMemory {

    private ProcessMemory() {
    }

    public static long rssBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
