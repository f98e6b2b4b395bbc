package org.livernode.training;

import org.livernode.dicom.vocabulary.SopClasses;
import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.TagFromName;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;
import org.livernode.dicom.seg.DecodedSegmentation;
import org.livernode.dicom.seg.SegmentationException;
import org.livernode.dicom.seg.SegmentationReader;
import org.livernode.dicom.seg.SegmentationWriter;
import org.livernode.volume.CtSeries;
import org.livernode.volume.CtSeriesReader;
import org.livernode.volume.VolumeException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code local} or {@code local:DATA_DIR}: CT series in the node's store that have a ground-truth Segmentation,
 * i.e. a SEG (BINARY or LABELMAP) whose Manufacturer is not livernode (a radiologist's corrected SEG sent back), whose frames
 * reference CT instances of a stored series of the same study. One slice per CT slice (slices without a frame
 * have an empty mask), case id = Study Instance UID, pixel spacing from the CT.
 *
 * <p>The store is found by walking {@code DATA/studies/<Study>/<Series>/} and reading headers (one file per
 * series to know its SOP Class, every file of a SEG series), not through the index: the index has no
 * Manufacturer column, and the walk works the same on H2, PostgreSQL or a copied data folder, with the node
 * stopped. When several such SEGs reference one CT series, the latest (Content Date/Time) is used.
 */
public final class LocalStoreSource implements LabelledSliceSource {

    public static final String SCHEME = "local";
    private static final Logger LOG = Logger.getLogger(LocalStoreSource.class);

    private final Path dataDir;
    private int seriesRead;
    private int slicesRead;

    /** Empty argument: the node's {@code livernode.data-dir} (default ./data). */
    public LocalStoreSource(String argument) {
        String dir = argument == null || argument.isBlank()
                ? ConfigProvider.getConfig().getOptionalValue("livernode.data-dir", String.class).orElse("./data")
                : argument;
        this.dataDir = Path.of(dir).toAbsolutePath().normalize();
    }

    @Override
    public String describe() {
        return String.format(Locale.ROOT, "%s:%s (CT series with a ground-truth SEG not made by livernode; %d series, %d slices)",
                SCHEME, dataDir, seriesRead, slicesRead);
    }

    @Override
    public List<LabelledSlice> load() throws IOException {
        Path studies = dataDir.resolve("studies");
        if (!Files.isDirectory(studies)) {
            throw new IOException("local: " + studies + " does not exist: DATA_DIR (local:DATA_DIR or livernode.data-dir) "
                    + "must be the node's data directory");
        }
        Map<Path, GroundTruth> bySeries = new LinkedHashMap<>();
        for (Path seriesDir : directories(studies, 2)) {
            try {
                List<Path> files = dicomFiles(seriesDir);
                if (files.isEmpty() || !SopClasses.isSegmentation(sopClass(header(files.get(0))))) {
                    continue;
                }
                for (Path file : files) {
                    GroundTruth truth = groundTruth(file);
                    if (truth != null) {
                        bySeries.merge(truth.ctSeriesDir, truth, (a, b) -> a.contentDateTime.compareTo(b.contentDateTime) >= 0 ? a : b);
                    }
                }
            } catch (IOException e) {
                LOG.warnf("local: series folder %s skipped: %s", seriesDir, e.getMessage());
            }
        }
        List<LabelledSlice> slices = new ArrayList<>();
        for (GroundTruth truth : bySeries.values()) {
            int before = slices.size();
            try {
                addSlices(truth, slices);
                seriesRead++;
            } catch (VolumeException e) {
                LOG.warnf("%s: CT series %s skipped, not a readable volume: %s", truth.studyUid, truth.ctSeriesDir.getFileName(),
                        e.getMessage());
                continue;
            }
            LOG.infof("%s: CT series %s with SEG %s: %d slices (%d series, %d slices so far)", truth.studyUid,
                    truth.ctSeriesDir.getFileName(), truth.segFile.getFileName(), slices.size() - before, seriesRead, slices.size());
        }
        slicesRead = slices.size();
        if (slices.isEmpty()) {
            throw new IOException("local: no CT series with a ground-truth SEG (a Segmentation Storage instance whose "
                    + "Manufacturer is not livernode, referencing stored CT instances) in " + studies);
        }
        return slices;
    }

    private void addSlices(GroundTruth truth, List<LabelledSlice> out) throws IOException {
        CtSeries ct = CtSeriesReader.read(dicomFiles(truth.ctSeriesDir));
        if (ct.rows() != truth.seg.rows() || ct.columns() != truth.seg.columns()) {
            throw new VolumeException("rule 'SEG frames are as large as the CT slices' failed: SEG " + truth.segFile + " is "
                    + truth.seg.columns() + "x" + truth.seg.rows() + ", CT is " + ct.columns() + "x" + ct.rows());
        }
        byte[] empty = new byte[ct.rows() * ct.columns()];
        for (int k = 0; k < ct.sliceCount(); k++) {
            byte[] mask = truth.masks.getOrDefault(ct.sopInstanceUids().get(k), empty);
            out.add(new LabelledSlice(truth.studyUid, ct.rows(), ct.columns(), ct.sliceHu(k), mask.clone(),
                    ct.geometry().rowSpacing(), ct.geometry().columnSpacing()));
        }
    }

    /** The SEG's liver masks and the CT series they belong to; null (logged) when it is no ground truth for us. */
    private GroundTruth groundTruth(Path file) throws IOException {
        AttributeList header = header(file);
        String manufacturer = Attribute.getSingleStringValueOrEmptyString(header, TagFromName.Manufacturer).trim();
        if (SegmentationWriter.MANUFACTURER.equalsIgnoreCase(manufacturer)) {
            return null;
        }
        String studyUid = Attribute.getSingleStringValueOrEmptyString(header, TagFromName.StudyInstanceUID).trim();
        DecodedSegmentation seg;
        try {
            seg = SegmentationReader.read(file);
        } catch (SegmentationException e) {
            LOG.warnf("%s: SEG %s skipped: %s", studyUid, file, e.getMessage());
            return null;
        }
        int segment = seg.liverSegmentNumber();
        Map<String, byte[]> masks = seg.masksByReferencedSopInstanceUid(segment);
        Path ctDir = referencedSeriesDir(file.getParent().getParent(), masks.keySet());
        if (ctDir == null) {
            LOG.warnf("%s: SEG %s skipped: its segment %d frames reference no stored instance of the study", studyUid,
                    file, segment);
            return null;
        }
        String when = Attribute.getSingleStringValueOrEmptyString(header, TagFromName.ContentDate)
                + Attribute.getSingleStringValueOrEmptyString(header, TagFromName.ContentTime);
        return new GroundTruth(studyUid, file, seg, masks, ctDir, when);
    }

    /** The series folder of the study holding most of the referenced SOP Instances (files are SOPUID.dcm). */
    private static Path referencedSeriesDir(Path studyDir, Iterable<String> sopUids) throws IOException {
        Path best = null;
        long bestCount = 0;
        for (Path seriesDir : directories(studyDir, 1)) {
            long count = 0;
            for (String uid : sopUids) {
                count += Files.isRegularFile(seriesDir.resolve(uid + ".dcm")) ? 1 : 0;
            }
            if (count > bestCount) {
                best = seriesDir;
                bestCount = count;
            }
        }
        return best;
    }

    private static List<Path> directories(Path root, int depth) throws IOException {
        try (Stream<Path> walk = Files.walk(root, depth)) {
            return walk.filter(p -> root.relativize(p).getNameCount() == depth && !p.equals(root) && Files.isDirectory(p))
                    .sorted(Comparator.naturalOrder()).toList();
        }
    }

    private static List<Path> dicomFiles(Path seriesDir) throws IOException {
        try (Stream<Path> list = Files.list(seriesDir)) {
            return list.filter(p -> p.getFileName().toString().endsWith(".dcm") && Files.isRegularFile(p)).sorted().toList();
        }
    }

    private static AttributeList header(Path file) throws IOException {
        AttributeList list = new AttributeList();
        try {
            list.read(file.toString(), TagFromName.PixelData);
        } catch (DicomException e) {
            throw new IOException(file + ": not a readable DICOM file: " + e.getMessage(), e);
        }
        return list;
    }

    private static String sopClass(AttributeList header) {
        return Attribute.getSingleStringValueOrEmptyString(header, TagFromName.SOPClassUID).trim();
    }

    private record GroundTruth(String studyUid, Path segFile, DecodedSegmentation seg, Map<String, byte[]> masks,
                               Path ctSeriesDir, String contentDateTime) {
    }
}
