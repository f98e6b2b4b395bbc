package org.livernode.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a dcmtk tool (echoscu, storescu, dcmsend, dcmodify) as a real DICOM peer and captures what it says. */
public final class Dcmtk {
    public record Result(int exitCode, String output) {
        public int count(String text) {
            int n = 0;
            for (int i = output.indexOf(text); i >= 0; i = output.indexOf(text, i + 1)) {
                n++;
            }
            return n;
        }
    }

    private Dcmtk() {
    }

    public static Result run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + command);
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    public static Result run(String... command) throws IOException, InterruptedException {
        return run(List.of(command));
    }

    /** storescu -v (one "Received Store Response" line per instance) of the given files. */
    public static Result storescu(String calledAe, int port, List<String> extra, List<java.nio.file.Path> files)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("storescu", "-v", "-aet", "STORESCU", "-aec", calledAe));
        cmd.addAll(extra);
        cmd.add("127.0.0.1");
        cmd.add(Integer.toString(port));
        files.forEach(f -> cmd.add(f.toString()));
        return run(cmd);
    }

    /**
     * Rewrites {@code file} as a decompression bomb: RLE compressed (dcmcrle), then its header made to declare
     * {@code size} x {@code size} pixels (dcmodify), while it holds the pixels of the original.
     */
    public static void rleDeclaring(java.nio.file.Path file, int size) throws IOException, InterruptedException {
        java.nio.file.Path rle = file.resolveSibling(file.getFileName() + ".rle");
        for (List<String> command : List.of(List.of("dcmcrle", file.toString(), rle.toString()),
                List.of("dcmodify", "-nb", "-q", "-m", "(0028,0010)=" + size, "-m", "(0028,0011)=" + size, rle.toString()))) {
            Result r = run(command);
            if (r.exitCode() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + r.output());
            }
        }
        java.nio.file.Files.move(rle, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
