package org.livernode.testing;

import org.livernode.dicom.vocabulary.Uids;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The 20 real Siemens JPEG 2000 CT slices in {@code ../shared/data/siemens-ct-j2k}. Anonymisation left their SOP,
 * Study and Series Instance UIDs empty, so a test that needs them stored copies them with UIDs filled in.
 */
public final class SiemensJ2k {
    public static final Path DIR = Path.of("..", "shared", "data", "siemens-ct-j2k");
    public static final String CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2";

    /** The copies: one new study and series, a new SOP Instance UID per file (dcmodify updates the meta header too). */
    public record Series(String studyUid, String seriesUid, List<Path> files) {
    }

    private SiemensJ2k() {
    }

    /** The files as shipped, in name order; skips the calling test when the data is not beside the clone. */
    public static List<Path> originals() throws IOException {
        assumeTrue(Files.isDirectory(DIR), "real data absent: " + DIR.toAbsolutePath() + " (skipped)");
        try (Stream<Path> s = Files.list(DIR)) {
            return s.filter(p -> p.getFileName().toString().startsWith("CT.")).sorted().toList();
        }
    }

    /** Copies {@code originals} into {@code dir} and fills in the empty SOP Class, SOP Instance, Study and Series UIDs. */
    public static Series withUids(List<Path> originals, Path dir) throws IOException, InterruptedException {
        String study = Uids.newUid();
        String series = Uids.newUid();
        List<Path> files = new ArrayList<>();
        Files.createDirectories(dir);
        for (Path original : originals) {
            Path copy = Files.copy(original, dir.resolve(original.getFileName().toString()));
            Dcmtk.Result m = Dcmtk.run("dcmodify", "-nb", "-i", "(0008,0016)=" + CT_IMAGE_STORAGE,
                    "-i", "(0008,0018)=" + Uids.newUid(), "-i", "(0020,000d)=" + study,
                    "-i", "(0020,000e)=" + series, copy.toString());
            assertEquals(0, m.exitCode(), m.output());
            files.add(copy);
        }
        return new Series(study, series, files);
    }
}
