package org.livernode.registry;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.livernode.model.ModelCard;
import org.livernode.model.ModelFiles;
import org.livernode.store.Durable;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The runtime model registry in {@code <data-dir>/models/} (the volume every replica shares): {@code registry.json}
 * ({@link RegistryFile}) and one folder per registered version. Every change is made under an exclusive lock on
 * {@code registry.lock} (so two replicas, or a CronJob and an operator, never interleave), from the file as it is
 * then, written to a temporary file, fsynced, renamed over the old one and the folder fsynced: a reader sees the old
 * registry or the new one, never half of one. An empty registry means the model {@code livernode.inference.model-dir}
 * names (the bundled one).
 */
public final class ModelRegistry {

    public static final String FILE = "registry.json";
    private static final String LOCK = "registry.lock";
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    /** FileChannel locks are held by the process: threads of one process take turns here first. */
    private static final ReentrantLock IN_PROCESS = new ReentrantLock();

    /** The model that runs: its version, its folder, and whether it is the bundled one (registry empty). */
    public record Active(String version, Path dir, boolean bundled) {
    }

    @FunctionalInterface
    interface Change<T> {
        /** The new registry file (null: unchanged) and what the caller gets back. */
        Result<T> apply(RegistryFile current) throws IOException;
    }

    record Result<T>(RegistryFile next, T value) {
    }

    private final Path dir;
    private final Path bundledDir;

    /** @param bundledDir the model {@code livernode.inference.model-dir} names: active while the registry is empty */
    public ModelRegistry(Path dataDir, Path bundledDir) {
        this.dir = dataDir.resolve("models").toAbsolutePath().normalize();
        this.bundledDir = bundledDir.toAbsolutePath().normalize();
    }

    public Path file() {
        return dir.resolve(FILE);
    }

    public Path bundledDir() {
        return bundledDir;
    }

    /** The registry as it is on disk (empty when there is no file yet). */
    public RegistryFile read() throws IOException {
        try {
            return JSON.readValue(Files.readAllBytes(file()), RegistryFile.class);
        } catch (NoSuchFileException e) {
            return RegistryFile.EMPTY;
        }
    }

    public Active active() throws IOException {
        return active(read());
    }

    Active active(RegistryFile registry) throws IOException {
        if (registry.active() == null) {
            return new Active(ModelFiles.readCard(bundledDir).version(), bundledDir, true);
        }
        return new Active(registry.active(), dirOf(registry, registry.active()), false);
    }

    /** The folder of a registered version. */
    public Path dirOf(RegistryFile registry, String version) {
        RegistryFile.Version v = registry.version(version);
        if (v == null) {
            throw new IllegalArgumentException("no model version " + version + " in " + file());
        }
        return dir.resolve(v.directory()).normalize();
    }

    /**
     * Copies a trained model folder (card and weights; sub-folders such as a training checkpoint stay behind) in
     * as {@code version} (null: the card's own version), after checking its weights against the card's SHA-256;
     * the copy's card names {@code version}, so every output of this model names the registry's version.
     */
    public RegistryFile.Version register(Path modelDir, String version, String by) throws IOException {
        ModelCard card = ModelFiles.readCard(modelDir);
        String name = version != null ? version : card.version();
        if (name == null || !VERSION.matcher(name).matches() || name.startsWith("registry.") || name.endsWith(".copying")) {
            throw new IllegalArgumentException("a model version must be 1-64 letters, digits, '.', '_' or '-' (not first), found "
                    + name + (version == null ? " (the card's; give one with --version)" : ""));
        }
        checkWeights(modelDir, card);
        return change(current -> {
            if (current.version(name) != null) {
                throw new IllegalArgumentException("model version " + name + " is already registered; give another with --version");
            }
            Path target = dir.resolve(name);
            Path temp = dir.resolve(name + ".copying");
            deleteTree(temp);
            Files.createDirectories(temp);
            try (Stream<Path> files = Files.list(modelDir)) {
                for (Path f : files.filter(Files::isRegularFile).filter(f -> !f.toString().endsWith(".tmp")).toList()) {
                    Files.copy(f, temp.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            card.withVersion(name).write(temp.resolve(ModelCard.FILE_NAME));
            checkWeights(temp, ModelFiles.readCard(temp));
            try (Stream<Path> files = Files.list(temp)) {
                for (Path f : files.toList()) {
                    Durable.syncFile(f);
                }
            }
            Durable.syncDirectory(temp);
            deleteTree(target); // a copy left by a run that died before it was registered
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            Durable.syncDirectory(dir);
            RegistryFile.Version added = new RegistryFile.Version(name, card.name(), name, card.weightsSha256(),
                    Instant.now().toString(), by, modelDir.toAbsolutePath().normalize().toString());
            RegistryFile.LogEntry entry = new RegistryFile.LogEntry(added.registeredAt(), by, "registered", name,
                    current.active(), null, null, "copied from " + added.copiedFrom(), null);
            return new Result<>(current.with(current.active(), current.activeHistory(), added, entry), added);
        });
    }

    /**
     * Records the gate's decision: the candidate becomes active when the report passed and the active model is still
     * the one it was compared with (else refused: evaluate again); the log keeps the figures either way.
     */
    public RegistryFile.LogEntry promote(GateReport report, String by) throws IOException {
        return change(current -> {
            String activeNow = active(current).version();
            boolean stale = !activeNow.equals(report.active());
            boolean passed = report.passed() && !stale;
            String reason = stale ? "the active model changed to " + activeNow + " since the evaluation against "
                    + report.active() + ": evaluate again" : report.reason();
            RegistryFile.LogEntry entry = new RegistryFile.LogEntry(Instant.now().toString(), by,
                    passed ? "promoted" : "refused", report.candidate(), activeNow, report.margin(), report.sets(),
                    reason, report.flags().isEmpty() ? null : report.flags());
            if (!passed) {
                return new Result<>(current.with(current.active(), current.activeHistory(), null, entry), entry);
            }
            dirOf(current, report.candidate());
            List<String> history = new ArrayList<>(current.activeHistory());
            history.add(report.candidate());
            return new Result<>(current.with(report.candidate(), history, null, entry), entry);
        });
    }

    /** Back to the version active before the current one (the bundled model when there was none). */
    public RegistryFile.LogEntry rollback(String by) throws IOException {
        return change(current -> {
            if (current.activeHistory().isEmpty()) {
                throw new IllegalStateException("nothing to roll back: the active model is the bundled one ("
                        + bundledDir + ") and no version was promoted");
            }
            List<String> history = new ArrayList<>(current.activeHistory());
            String from = history.remove(history.size() - 1);
            String to = history.isEmpty() ? null : history.get(history.size() - 1);
            RegistryFile.LogEntry entry = new RegistryFile.LogEntry(Instant.now().toString(), by, "rolled-back",
                    to != null ? to : ModelFiles.readCard(bundledDir).version() + " (bundled)", from, null, null,
                    "back to the version active before " + from, null);
            return new Result<>(current.with(to, history, null, entry), entry);
        });
    }

    /** Reads, changes and writes the registry under the lock (in this process, then on the shared file). */
    <T> T change(Change<T> change) throws IOException {
        Files.createDirectories(dir);
        IN_PROCESS.lock();
        try (FileChannel lockFile = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = lockFile.lock()) {
            Result<T> result = change.apply(read());
            if (result.next() != null) {
                write(result.next());
            }
            return result.value();
        } finally {
            IN_PROCESS.unlock();
        }
    }

    private void write(RegistryFile registry) throws IOException {
        Path temp = dir.resolve(FILE + ".tmp");
        Files.write(temp, JSON.writeValueAsBytes(registry));
        Durable.syncFile(temp);
        Files.move(temp, file(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Durable.syncDirectory(dir);
    }

    private static void checkWeights(Path modelDir, ModelCard card) throws IOException {
        if (card.weightsSha256() == null) {
            throw new IllegalArgumentException("the card in " + modelDir + " names no weightsSha256: only a model whose weights "
                    + "can be checked is registered");
        }
        Optional<String> mismatch = ModelFiles.weightsMismatch(modelDir, card);
        if (mismatch.isPresent()) {
            throw new IllegalArgumentException(mismatch.get());
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
