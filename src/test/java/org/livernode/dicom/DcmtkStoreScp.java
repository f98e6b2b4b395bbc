package org.livernode.dicom;

import org.livernode.dicom.vocabulary.RemoteAe;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Test-only: a real dcmtk storescp on a free port, writing what it receives to a directory. */
public final class DcmtkStoreScp implements AutoCloseable {

    public final String aeTitle;
    public final int port;
    public final Path directory;
    private final Path log;
    private Process process;

    public DcmtkStoreScp(String aeTitle, int port, Path directory) {
        this.aeTitle = aeTitle;
        this.port = port;
        this.directory = directory;
        this.log = directory.resolveSibling(directory.getFileName() + "-storescp.log");
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    public RemoteAe remoteAe() {
        return new RemoteAe(aeTitle, "127.0.0.1", port);
    }

    /** Starts storescp (extra options e.g. --refuse) and waits until it accepts TCP connections. */
    public DcmtkStoreScp start(String... extraOptions) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("storescp", "--aetitle", aeTitle, "--output-directory",
                directory.toString(), "--bit-preserving"));
        command.addAll(List.of(extraOptions));
        command.add(Integer.toString(port));
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("storescp exited with " + process.exitValue() + "; see " + log);
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return this;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IOException("storescp did not listen on port " + port + " within 10 s");
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
