package org.livernode.model;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/** A model directory: {@code model.params} (DJL parameters) and {@code model-card.json} with the weights' SHA-256. */
public final class ModelFiles {

    public static final String WEIGHTS_FILE = "model.params";

    private ModelFiles() {
    }

    /** Writes weights then card (each atomically), so a reader never sees a card that does not match its weights. */
    public static ModelCard save(Block block, ModelCard card, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path weights = dir.resolve(WEIGHTS_FILE);
        Path tmp = dir.resolve(WEIGHTS_FILE + ".tmp");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
            block.saveParameters(out);
        }
        Files.move(tmp, weights, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        ModelCard written = card.withWeights(WEIGHTS_FILE, sha256(weights));
        written.write(dir.resolve(ModelCard.FILE_NAME));
        return written;
    }

    public static ModelCard readCard(Path dir) throws IOException {
        Path file = dir.resolve(ModelCard.FILE_NAME);
        if (!Files.isRegularFile(file)) {
            throw new IOException("model directory " + dir + " has no " + ModelCard.FILE_NAME);
        }
        return ModelCard.read(file);
    }

    /** Loads weights into an initialised block after checking the card's SHA-256. */
    public static void loadWeights(Block block, NDManager manager, Path dir, ModelCard card) throws IOException {
        Optional<String> mismatch = weightsMismatch(dir, card);
        if (mismatch.isPresent()) {
            throw new IOException(mismatch.get());
        }
        Path weights = weightsFile(dir, card);
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(weights)))) {
            block.loadParameters(manager, in);
        } catch (MalformedModelException e) {
            throw new IOException("weights " + weights + " do not fit architecture " + card.architecture() + ": " + e.getMessage(), e);
        }
    }

    /** The weights file the card names in {@code dir} ({@value #WEIGHTS_FILE} when it names none). */
    public static Path weightsFile(Path dir, ModelCard card) {
        return dir.resolve(card.weightsFile() == null ? WEIGHTS_FILE : card.weightsFile());
    }

    /**
     * Why the weights in {@code dir} cannot be the card's: the file is missing, or its SHA-256 is not the card's (not
     * checked when the card gives none); empty when they are.
     */
    public static Optional<String> weightsMismatch(Path dir, ModelCard card) throws IOException {
        Path weights = weightsFile(dir, card);
        if (!Files.isRegularFile(weights)) {
            return Optional.of("model directory " + dir + " has no weights file " + weights.getFileName());
        }
        if (card.weightsSha256() != null) {
            String actual = sha256(weights);
            if (!actual.equalsIgnoreCase(card.weightsSha256())) {
                return Optional.of("weights " + weights + " have SHA-256 " + actual + " but the card says " + card.weightsSha256());
            }
        }
        return Optional.empty();
    }

    public static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }
}
