package org.livernode.store;

import org.livernode.dicom.vocabulary.Uids;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.livernode.config.LivernodeConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Where instance files live: {@code DATA/studies/<StudyUID>/<SeriesUID>/<SOPUID>.dcm}. Files arrive in
 * {@code DATA/incoming/<process>/} and are renamed into place atomically, so a reader never sees half a file and a
 * resend simply replaces the earlier copy. Each process writes into a folder of its own and holds a lock on it
 * while it runs, so at start a node can remove what dead processes left there without touching a live replica's
 * files in a shared data directory. A placed file and its folder are fsynced: what the node acknowledges stays.
 */
@ApplicationScoped
public class InstanceStore {
    private final Path dataDir;

    @Inject
    public InstanceStore(LivernodeConfig config) {
        this(config.dataDir());
    }

    public InstanceStore(Path dataDir) {
        this.dataDir = dataDir.toAbsolutePath().normalize();
    }

    public Path dataDir() {
        return dataDir;
    }

    /**
     * This process's folder for files being received (same file system as the store, so the final rename is
     * atomic), locked for as long as the process runs.
     */
    public Path incomingDir() {
        return IncomingFolders.ownFolder(createDirectories(dataDir.resolve("incoming")));
    }

    /**
     * Removes what processes that are gone left in {@code incoming/} (the half-received files of a crash), and loose
     * files of an older layout once they are an hour old. Returns how many files were removed.
     */
    public int sweepIncoming() {
        return IncomingFolders.sweep(createDirectories(dataDir.resolve("incoming")));
    }

    /** Folder keeping what was received but refused (bad UIDs, unreadable), for a human to look at. */
    public Path rejectedDir() {
        return createDirectories(dataDir.resolve("rejected"));
    }

    /** The file of an instance; every UID is checked first, so no UID can point outside the store. */
    public Path pathOf(String studyUid, String seriesUid, String sopInstanceUid) {
        Uids.require("Study Instance UID", studyUid);
        Uids.require("Series Instance UID", seriesUid);
        Uids.require("SOP Instance UID", sopInstanceUid);
        return dataDir.resolve("studies").resolve(studyUid).resolve(seriesUid).resolve(sopInstanceUid + ".dcm");
    }

    /** The path stored in the index: relative to the data directory, with forward slashes. */
    public String relative(Path file) {
        return dataDir.relativize(file.toAbsolutePath().normalize()).toString().replace('\\', '/');
    }

    public Path resolve(String relativePath) {
        Path p = dataDir.resolve(relativePath).normalize();
        if (!p.startsWith(dataDir)) {
            throw new IllegalArgumentException("path must stay inside the data directory, found '" + relativePath + "'");
        }
        return p;
    }

    /** Moves a completely written file to its place, replacing an earlier copy of the same instance. */
    public Path moveIntoPlace(Path written, String studyUid, String seriesUid, String sopInstanceUid) throws IOException {
        Path target = pathOf(studyUid, seriesUid, sopInstanceUid);
        createDurably(target.getParent());
        Durable.syncFile(written);
        try {
            Files.move(written, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            // A name of its own: another replica may be placing the same instance into a shared data directory.
            Path beside = Files.createTempFile(target.getParent(), target.getFileName() + "-", ".part");
            Files.copy(written, beside, StandardCopyOption.REPLACE_EXISTING);
            Files.move(beside, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Files.delete(written);
        }
        Durable.syncDirectory(target.getParent());
        return target;
    }

    /** Creates missing folders and fsyncs the parent of each, so the new entries survive a power cut too. */
    private static void createDurably(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        createDurably(dir.getParent());
        try {
            Files.createDirectory(dir);
        } catch (java.nio.file.FileAlreadyExistsException raced) {
            return;
        }
        Durable.syncDirectory(dir.getParent());
    }

    /**
     * Stores a file the node produced itself (a SEG): copied into {@code incoming/} and renamed into place,
     * like a received instance. Index it afterwards with {@link InstanceIndex#index}.
     */
    public Path storeProduced(Path file, String studyUid, String seriesUid, String sopInstanceUid) throws IOException {
        Path temp = Files.createTempFile(incomingDir(), "produced-", ".part");
        Files.copy(file, temp, StandardCopyOption.REPLACE_EXISTING);
        return moveIntoPlace(temp, studyUid, seriesUid, sopInstanceUid);
    }

    /** Usable bytes on the file system of the data directory. */
    public long freeBytes() {
        try {
            return Files.getFileStore(createDirectories(dataDir)).getUsableSpace();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read free space of " + dataDir, e);
        }
    }

    private static Path createDirectories(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create folder " + dir, e);
        }
    }
}
