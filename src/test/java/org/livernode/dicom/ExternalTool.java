package org.livernode.dicom;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Test-only: runs an installed tool (dciodvfy, python3 with pydicom, dcmtk) and captures its output. */
public final class ExternalTool {

    public record Result(int exitCode, String stdout, String stderr) {
    }

    private ExternalTool() {
    }

    public static Result run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        Path out = Files.createTempFile("tool-out", ".txt");
        Path err = Files.createTempFile("tool-err", ".txt");
        try {
            Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(command + " did not finish within " + timeoutSeconds + " s");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().contains("error=2")) {
                throw new IOException(command.get(0) + " is not installed: run .ci/install-deps", e);
            }
            throw e;
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Whether {@code command} is an executable on the PATH (or an absolute path), to skip tests that need it. */
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

    /** Runs (up to 120 s) and fails with the tool's output unless it exits with 0; returns its stdout. */
    public static String runOk(List<String> command) throws IOException, InterruptedException {
        Result r = run(command, 120);
        if (r.exitCode() != 0) {
            throw new IOException(command + " exited with " + r.exitCode() + ": " + r.stdout() + r.stderr());
        }
        return r.stdout();
    }
}
