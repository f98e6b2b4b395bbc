package org.livernode.dicom.codec;

import org.livernode.dicom.vocabulary.TransferSyntaxes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Decodes what no Java decoder on Maven Central or in Debian reads (DCT JPEG of 12 bits, JPEG-LS) with dcmtk's
 * {@code dcmdjpeg} and {@code dcmdjpls} (Debian package dcmtk), one child process per file. dcmtk rather than GDCM's
 * gdcmconv, which refuses JPEG-LS frames split into several fragments without a Basic Offset Table (seen in the
 * header zoo). A child process, not JNI: a broken or hostile file can crash the decoder, never the node, and a
 * decoder that hangs is killed after {@link #TIMEOUT_SECONDS}.
 */
final class DcmtkDecoder {

    static final long TIMEOUT_SECONDS = 60;
    private static final Optional<Path> DCMDJPEG = find("dcmdjpeg");
    private static final Optional<Path> DCMDJPLS = find("dcmdjpls");

    private DcmtkDecoder() {
    }

    /** True when the dcmtk tool for this transfer syntax is installed. */
    static boolean available(String transferSyntaxUid) {
        return tool(transferSyntaxUid).isPresent();
    }

    /** The tool's name for messages: dcmdjpeg for DCT JPEG, dcmdjpls for JPEG-LS. */
    static String toolName(String transferSyntaxUid) {
        return isJpegLs(transferSyntaxUid) ? "dcmdjpls" : "dcmdjpeg";
    }

    private static boolean isJpegLs(String transferSyntaxUid) {
        return TransferSyntaxes.JPEG_LS_LOSSLESS.equals(transferSyntaxUid)
                || TransferSyntaxes.JPEG_LS_NEAR_LOSSLESS.equals(transferSyntaxUid);
    }

    private static Optional<Path> tool(String transferSyntaxUid) {
        return TransferSyntaxes.DECODED_BY_DCMTK.contains(transferSyntaxUid)
                ? (isJpegLs(transferSyntaxUid) ? DCMDJPLS : DCMDJPEG) : Optional.empty();
    }

    /**
     * Writes {@code source} with its Pixel Data decoded to Explicit VR Little Endian into a new temporary file, which
     * the caller deletes. The message of a failure names the file, the tool and what it said.
     */
    static Path toNative(Path source, String transferSyntaxUid) throws IOException {
        String name = toolName(transferSyntaxUid);
        Path decoder = tool(transferSyntaxUid).orElseThrow(() -> new IOException(
                "dcmtk's " + name + " is not installed (Debian package dcmtk): cannot decode " + source));
        Path out = Files.createTempFile("livernode-decoded-", ".dcm");
        Path log = Files.createTempFile("livernode-decoder-", ".log");
        try {
            Process p = new ProcessBuilder(decoder.toString(), source.toString(), out.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(name + " took over " + TIMEOUT_SECONDS + " s to decode " + source + " and was stopped");
            }
            if (p.exitValue() != 0 || Files.size(out) == 0) {
                throw new IOException(name + " could not decode " + source + " (exit " + p.exitValue() + "): "
                        + lastLine(log));
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while " + name + " decoded " + source, e);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(out);
            throw e;
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static String lastLine(Path log) throws IOException {
        String text = new String(Files.readAllBytes(log), StandardCharsets.UTF_8).strip();
        int cut = text.lastIndexOf('\n');
        String line = cut < 0 ? text : text.substring(cut + 1);
        return line.isEmpty() ? "no message" : line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }

    private static Optional<Path> find(String name) {
        String path = System.getenv("PATH");
        for (String dir : (path == null ? "/usr/bin:/usr/local/bin" : path).split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
