package org.livernode.volume;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs an independent tool (dciodvfy, gdcmconv, dcmodify, python3 + nibabel...) for cross-checks in tests. */
public final class ExternalTool {

    /** Exit code and merged stdout/stderr of a finished command. */
    public record Result(int exitCode, String output) {
    }

    private ExternalTool() {
    }

    /** Whether {@code command} is an executable on the PATH (or an absolute path). */
    public static boolean available(String command) {
        if (command.startsWith("/")) {
            return Files.isExecutable(Path.of(command));
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    public static Result run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + command);
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    /** Runs and fails with the tool's output unless it exits with 0. */
    public static String runOk(List<String> command) throws IOException, InterruptedException {
        Result r = run(command);
        if (r.exitCode() != 0) {
            throw new IOException(command + " exited with " + r.exitCode() + ": " + r.output());
        }
        return r.output();
    }
}
