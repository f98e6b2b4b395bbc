package org.livernode.training;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** {@code git describe --always --dirty} of the working directory, else the jar's version. */
final class CodeVersion {

    private CodeVersion() {
    }

    static String describe() {
        try {
            Process p = new ProcessBuilder("git", "describe", "--always", "--dirty", "--tags").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 && !out.isEmpty()) {
                return "git " + out;
            }
        } catch (IOException e) {
            // no git: fall through
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String v = CodeVersion.class.getPackage().getImplementationVersion();
        return "livernode " + (v == null ? "unknown" : v);
    }
}
