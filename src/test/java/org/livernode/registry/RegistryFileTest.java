package org.livernode.registry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.livernode.model.ModelCard;
import org.livernode.model.ModelFiles;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The runtime registry's file: registering copies a model in with its weights checked and its card renamed to the
 * version, the file reads back as written, every change is logged in order, and changes wait for the lock another
 * process holds on the shared folder.
 */
class RegistryFileTest {

    @TempDir
    Path temp;

    @Test
    void registerCopiesTheModelInAndTheFileReadsBackWithItsLog() throws Exception {
        ModelRegistry registry = new ModelRegistry(temp.resolve("data"), TestModels.BUNDLED);
        assertEquals(RegistryFile.EMPTY, registry.read());
        ModelRegistry.Active bundled = registry.active();
        assertTrue(bundled.bundled());
        assertEquals("v3", bundled.version());

        RegistryFile.Version v = registry.register(TestModels.BUNDLED, "v3-copy", "alice");
        Path copy = temp.resolve("data/models/v3-copy");
        assertEquals(copy.toAbsolutePath(), registry.dirOf(registry.read(), "v3-copy"));
        ModelCard card = ModelFiles.readCard(copy);
        assertEquals("v3-copy", card.version(), "the copy's card names the registry's version");
        assertEquals(ModelFiles.readCard(TestModels.BUNDLED).weightsSha256(), ModelFiles.sha256(copy.resolve("model.params")));
        assertEquals(card.weightsSha256(), v.weightsSha256());
        assertFalse(Files.exists(copy.resolve("history")), "sub-folders (a run's checkpoint) stay behind");

        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> registry.register(TestModels.BUNDLED, "v3-copy", "bob"));
        assertTrue(twice.getMessage().contains("already registered"), twice.getMessage());

        // weights that are not the card's are refused before anything is copied
        Path tampered = Files.createDirectories(temp.resolve("tampered"));
        Files.copy(TestModels.BUNDLED.resolve("model-card.json"), tampered.resolve("model-card.json"));
        byte[] weights = Files.readAllBytes(TestModels.BUNDLED.resolve("model.params"));
        weights[weights.length - 1] ^= 1;
        Files.write(tampered.resolve("model.params"), weights);
        IllegalArgumentException sha = assertThrows(IllegalArgumentException.class,
                () -> registry.register(tampered, "v9", "bob"));
        assertTrue(sha.getMessage().contains("SHA-256"), sha.getMessage());
        assertFalse(Files.exists(temp.resolve("data/models/v9")));

        // a passed report makes it active; a rollback goes back to the bundled model; all in the log, in order
        GateReport passed = new GateReport("v3", "v3-copy", 0.005, List.of(new GateReport.SetFigures("lits", "x", 2, 9,
                0.9, 0.91, 0.92, 0.93, null)), true, "not worse", List.of());
        assertEquals("promoted", registry.promote(passed, "alice").action());
        RegistryFile after = new ModelRegistry(temp.resolve("data"), TestModels.BUNDLED).read();
        assertEquals("v3-copy", after.active());
        assertEquals(copy.toAbsolutePath(), registry.active().dir());
        assertEquals(0.92, after.log().get(1).figures().get(0).candidateMeanDsc());
        // a report made against a model that is no longer active is refused
        assertEquals("refused", registry.promote(passed, "bob").action());
        RegistryFile.LogEntry back = registry.rollback("carol");
        assertEquals("v3-copy", back.previous());
        assertNull(registry.read().active());
        assertThrows(IllegalStateException.class, () -> registry.rollback("carol"));
        assertEquals(List.of("registered", "promoted", "refused", "rolled-back"),
                registry.read().log().stream().map(RegistryFile.LogEntry::action).toList());
        assertEquals(List.of("alice", "alice", "bob", "carol"), registry.read().log().stream().map(RegistryFile.LogEntry::by).toList());
        assertFalse(Files.exists(temp.resolve("data/models/registry.json.tmp")));
    }

    @Test
    void changesOfManyThreadsAreNotLost() throws Exception {
        ModelRegistry registry = new ModelRegistry(temp.resolve("data"), TestModels.BUNDLED);
        registry.register(TestModels.BUNDLED, "a", "t");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            int n = i;
            done.add(pool.submit(() -> registry.promote(new GateReport("other", "a", 0, List.of(), false, "no " + n,
                    List.of()), "t" + n)));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        assertEquals(21, registry.read().log().size(), "each of 20 concurrent changes is in the log");
    }

    /** A change made while another process holds the registry's lock runs only once that process let it go. */
    @Test
    void aChangeWaitsForTheLockOfAnotherProcess() throws Exception {
        ModelRegistry registry = new ModelRegistry(temp.resolve("data"), TestModels.BUNDLED);
        registry.register(TestModels.BUNDLED, "a", "t");
        Path released = temp.resolve("released");
        // fcntl locks, as the JVM's FileChannel.lock takes on Linux; the marker is written before the lock goes
        Process holder = new ProcessBuilder("python3", "-c", String.join("\n",
                "import fcntl, sys, time",
                "f = open(sys.argv[1], 'a')",
                "fcntl.lockf(f, fcntl.LOCK_EX)",
                "print('locked', flush=True)",
                "time.sleep(1)",
                "open(sys.argv[2], 'w').close()",
                "f.close()"), temp.resolve("data/models/registry.lock").toString(), released.toString())
                .redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))) {
            assertEquals("locked", out.readLine());
            boolean sawMarker = registry.change(current -> new ModelRegistry.Result<>(null, Files.exists(released)));
            assertTrue(sawMarker, "the change ran while the other process held the lock");
        }
        assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
    }
}
