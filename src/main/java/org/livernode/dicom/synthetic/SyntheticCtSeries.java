package org.livernode.dicom.synthetic;

import org.livernode.dicom.vocabulary.TransferSyntaxes;
import org.livernode.dicom.vocabulary.Uids;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * A synthetic axial CT series of an {@link AbdomenPhantom}, written as CT Image Storage files (one per slice) with
 * real 2.25 UIDs, full geometry and HU stored as unsigned 12-bit values with Rescale Intercept -1024. Deterministic
 * for a given seed. Slice k (0-based, in acquisition order) lies at {@code origin + k * sliceSpacing * (0, 0,
 * stackingDirection)}; the files can be written in that order, reversed or shuffled, to exercise readers that must
 * sort by position. Built and written by {@link #builder()}...{@link Builder#write(Path)}.
 */
public final class SyntheticCtSeries {

    /** Order in which slices are written to files IMG0001.dcm, IMG0002.dcm... (Instance Number follows it too). */
    public enum FileOrder { ACQUISITION, REVERSED, SHUFFLED }

    private static final int STORED_OFFSET = 1024;
    private static final int STORED_MAX = 4095;

    private final Builder spec;
    private final String studyInstanceUid;
    private final String seriesInstanceUid;
    private final List<String> sopInstanceUids;
    private final List<Path> slicesFiles;
    private final List<Path> filesInFileOrder;
    private final AbdomenPhantom phantom;

    private SyntheticCtSeries(Builder spec, String studyUid, String seriesUid, List<String> sopUids,
                              List<Path> sliceFiles, List<Path> filesInFileOrder, AbdomenPhantom phantom) {
        this.spec = spec;
        this.studyInstanceUid = studyUid;
        this.seriesInstanceUid = seriesUid;
        this.sopInstanceUids = List.copyOf(sopUids);
        this.slicesFiles = List.copyOf(sliceFiles);
        this.filesInFileOrder = List.copyOf(filesInFileOrder);
        this.phantom = phantom;
    }

    public static Builder builder() {
        return new Builder();
    }


    public String studyInstanceUid() {
        return studyInstanceUid;
    }

    public String seriesInstanceUid() {
        return seriesInstanceUid;
    }

    public int sliceCount() {
        return spec.sliceCount;
    }

    public int rows() {
        return spec.rows;
    }

    public int columns() {
        return spec.columns;
    }

    /** The files in file-name order (IMG0001.dcm first), i.e. in the requested {@link FileOrder}. */
    public List<Path> files() {
        return filesInFileOrder;
    }

    /** The file of acquisition slice k. */
    public Path file(int k) {
        return slicesFiles.get(k);
    }

    /** SOP Instance UID of acquisition slice k. */
    public String sopInstanceUid(int k) {
        return sopInstanceUids.get(k);
    }

    /** Image Position Patient of acquisition slice k. */
    public double[] slicePosition(int k) {
        return spec.position(k);
    }

    public AbdomenPhantom phantom() {
        return phantom;
    }

    /** The HU written for acquisition slice k (noise included, after rounding and clamping to the stored range). */
    public float[] sliceHu(int k) {
        short[] stored = storedValues(k);
        float[] hu = new float[stored.length];
        for (int p = 0; p < stored.length; p++) {
            hu[p] = stored[p] - STORED_OFFSET;
        }
        return hu;
    }

    /** Ground-truth liver mask of acquisition slice k: rows*columns, row-major, 1 = liver. */
    public byte[] liverMask(int k) {
        double[] pos = spec.position(k);
        byte[] mask = new byte[spec.rows * spec.columns];
        for (int r = 0; r < spec.rows; r++) {
            for (int c = 0; c < spec.columns; c++) {
                if (phantom.isLiver(pos[0] + c * spec.columnSpacing, pos[1] + r * spec.rowSpacing, pos[2])) {
                    mask[r * spec.columns + c] = 1;
                }
            }
        }
        return mask;
    }

    /** Ground-truth liver volume in mL (mask voxels times voxel volume). */
    public double liverVolumeMl() {
        long voxels = 0;
        for (int k = 0; k < spec.sliceCount; k++) {
            for (byte b : liverMask(k)) {
                voxels += b;
            }
        }
        return voxels * spec.rowSpacing * spec.columnSpacing * spec.sliceSpacing / 1000.0;
    }

    private short[] storedValues(int k) {
        return storedValues(spec, phantom, k);
    }

    private static short[] storedValues(Builder spec, AbdomenPhantom phantom, int k) {
        double[] pos = spec.position(k);
        Random noise = new Random(spec.seed * 1_000_003L + k);
        short[] stored = new short[spec.rows * spec.columns];
        for (int r = 0; r < spec.rows; r++) {
            for (int c = 0; c < spec.columns; c++) {
                float hu = phantom.hu(pos[0] + c * spec.columnSpacing, pos[1] + r * spec.rowSpacing, pos[2]);
                double v = hu + (hu > AbdomenPhantom.AIR_HU ? spec.noiseSigma * noise.nextGaussian() : 0);
                long s = Math.round(v) + STORED_OFFSET;
                stored[r * spec.columns + c] = (short) Math.max(0, Math.min(STORED_MAX, s));
            }
        }
        return stored;
    }

    /** Parameters of a synthetic series; {@code set*} for values with defaults, {@code opt*} for optional ones. */
    public static final class Builder {
        int sliceCount = 16;
        int rows = 128;
        int columns = 128;
        double rowSpacing = 3.0;
        double columnSpacing = 3.0;
        double sliceSpacing = 5.0;
        double[] origin;
        int stackingDirection = 1;
        FileOrder fileOrder = FileOrder.ACQUISITION;
        String transferSyntaxUid = TransferSyntaxes.EXPLICIT_VR_LE;
        String patientName = "Phantom^Abdomen";
        String patientId = "PHANTOM-001";
        String studyDescription = "Synthetic abdomen CT";
        String seriesDescription = "Abdomen phantom 5mm";
        String studyInstanceUid;
        int seriesNumber = 1;
        long seed = 1;
        double noiseSigma = 10.0;

        private Builder() {
        }

        public Builder setSliceCount(int n) {
            this.sliceCount = positive("sliceCount", n);
            return this;
        }

        public Builder setRows(int rows) {
            this.rows = positive("rows", rows);
            return this;
        }

        public Builder setColumns(int columns) {
            this.columns = positive("columns", columns);
            return this;
        }

        /** Pixel Spacing: row spacing (between rows) and column spacing (between columns), mm. */
        public Builder setPixelSpacing(double rowSpacing, double columnSpacing) {
            this.rowSpacing = positive("rowSpacing", rowSpacing);
            this.columnSpacing = positive("columnSpacing", columnSpacing);
            return this;
        }

        /** Distance between neighbouring slice positions (also written as Slice Thickness), mm. */
        public Builder setSliceSpacing(double mm) {
            this.sliceSpacing = positive("sliceSpacing", mm);
            return this;
        }

        /** Image Position Patient of acquisition slice 0; default centres the field of view on (0, 0) at z 0. */
        public Builder setOrigin(double x, double y, double z) {
            this.origin = new double[] {x, y, z};
            return this;
        }

        /** +1: acquisition goes towards the head (+z); -1: towards the feet. */
        public Builder setStackingDirection(int direction) {
            if (direction != 1 && direction != -1) {
                throw new IllegalArgumentException("stackingDirection must be +1 or -1, found " + direction);
            }
            this.stackingDirection = direction;
            return this;
        }

        public Builder setFileOrder(FileOrder order) {
            this.fileOrder = java.util.Objects.requireNonNull(order, "fileOrder");
            return this;
        }

        /** Explicit VR Little Endian (default) or Implicit VR Little Endian. */
        public Builder setTransferSyntax(String uid) {
            if (!TransferSyntaxes.EXPLICIT_VR_LE.equals(uid) && !TransferSyntaxes.IMPLICIT_VR_LE.equals(uid)) {
                throw new IllegalArgumentException("transferSyntax must be Explicit or Implicit VR Little Endian "
                        + "(compress with dcmcjpeg/gdcmconv if needed), found " + uid);
            }
            this.transferSyntaxUid = uid;
            return this;
        }

        public Builder setPatientName(String v) {
            this.patientName = v;
            return this;
        }

        public Builder setPatientId(String v) {
            this.patientId = v;
            return this;
        }

        public Builder setStudyDescription(String v) {
            this.studyDescription = v;
            return this;
        }

        public Builder setSeriesDescription(String v) {
            this.seriesDescription = v;
            return this;
        }

        public Builder setSeriesNumber(int n) {
            this.seriesNumber = positive("seriesNumber", n);
            return this;
        }

        /** Put the series in an existing study (default: a new Study Instance UID). */
        public Builder optStudyInstanceUid(String uid) {
            this.studyInstanceUid = uid;
            return this;
        }

        public Builder setSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Standard deviation of the Gaussian noise added inside the body, HU (0 = none). */
        public Builder setNoiseSigma(double hu) {
            if (!(hu >= 0)) {
                throw new IllegalArgumentException("noiseSigma must be >= 0 HU, found " + hu);
            }
            this.noiseSigma = hu;
            return this;
        }

        double[] origin() {
            return origin != null ? origin.clone()
                    : new double[] {-(columns - 1) * columnSpacing / 2, -(rows - 1) * rowSpacing / 2, 0};
        }

        double[] position(int k) {
            double[] p = origin();
            p[2] += k * sliceSpacing * stackingDirection;
            return p;
        }

        /** Writes the series into {@code dir} (created if needed) and returns it with its ground truth. */
        public SyntheticCtSeries write(Path dir) {
            double[] first = position(0);
            double[] last = position(sliceCount - 1);
            double[] centre = {first[0] + (columns - 1) * columnSpacing / 2, first[1] + (rows - 1) * rowSpacing / 2,
                    (first[2] + last[2]) / 2};
            double halfLength = Math.max(sliceSpacing, Math.abs(last[2] - first[2]) / 2 + sliceSpacing / 2);
            AbdomenPhantom phantom = new AbdomenPhantom(centre, columns * columnSpacing / 2, halfLength);
            String studyUid = studyInstanceUid != null ? studyInstanceUid : Uids.newUid();
            String seriesUid = Uids.newUid();
            String frameOfReferenceUid = Uids.newUid();
            List<Integer> order = new ArrayList<>();
            for (int k = 0; k < sliceCount; k++) {
                order.add(k);
            }
            if (fileOrder == FileOrder.REVERSED) {
                Collections.reverse(order);
            } else if (fileOrder == FileOrder.SHUFFLED) {
                Collections.shuffle(order, new Random(seed));
            }
            List<String> sopUids = new ArrayList<>();
            List<Path> sliceFiles = new ArrayList<>(Collections.nCopies(sliceCount, (Path) null));
            List<Path> inFileOrder = new ArrayList<>();
            for (int k = 0; k < sliceCount; k++) {
                sopUids.add(Uids.newUid());
            }
            String now = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd"));
            try {
                Files.createDirectories(dir);
                for (int f = 0; f < sliceCount; f++) {
                    int k = order.get(f);
                    Path file = dir.resolve(String.format("IMG%04d.dcm", f + 1));
                    AttributeList list = new CtImageAttributes(this, studyUid, seriesUid, frameOfReferenceUid,
                            sopUids.get(k), now).slice(k, f + 1, position(k), storedValues(this, phantom, k));
                    list.write(file.toFile(), transferSyntaxUid, true, true);
                    sliceFiles.set(k, file);
                    inFileOrder.add(file);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the synthetic series to " + dir, e);
            } catch (DicomException e) {
                throw new IllegalStateException("cannot build the synthetic CT slice: " + e.getMessage(), e);
            }
            return new SyntheticCtSeries(this.copy(), studyUid, seriesUid, sopUids, sliceFiles, inFileOrder, phantom);
        }

        private Builder copy() {
            Builder b = new Builder();
            b.sliceCount = sliceCount;
            b.rows = rows;
            b.columns = columns;
            b.rowSpacing = rowSpacing;
            b.columnSpacing = columnSpacing;
            b.sliceSpacing = sliceSpacing;
            b.origin = origin();
            b.stackingDirection = stackingDirection;
            b.fileOrder = fileOrder;
            b.transferSyntaxUid = transferSyntaxUid;
            b.patientName = patientName;
            b.patientId = patientId;
            b.studyDescription = studyDescription;
            b.seriesDescription = seriesDescription;
            b.studyInstanceUid = studyInstanceUid;
            b.seriesNumber = seriesNumber;
            b.seed = seed;
            b.noiseSigma = noiseSigma;
            return b;
        }

        private static int positive(String name, int v) {
            if (v <= 0) {
                throw new IllegalArgumentException(name + " must be positive, found " + v);
            }
            return v;
        }

        private static double positive(String name, double v) {
            if (!(v > 0) || !Double.isFinite(v)) {
                throw new IllegalArgumentException(name + " must be a positive number of mm, found " + v);
            }
            return v;
        }
    }
}
