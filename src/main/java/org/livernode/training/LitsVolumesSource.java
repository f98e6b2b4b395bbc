package org.livernode.training;

import org.jboss.logging.Logger;
import org.livernode.volume.Resampling;
import org.livernode.volume.VolumeException;
import org.livernode.volume.nifti.LpsAxialView;
import org.livernode.volume.nifti.NiftiReader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code lits:PATH[?min-liver-fraction=F]}: the LiTS challenge volumes, PATH/volume-N.nii[.gz] (HU) with
 * PATH/segmentation-N.nii[.gz] (0 background, 1 liver, 2 tumour; liver = label &gt; 0). Slices are presented
 * like a DICOM axial series ({@link LpsAxialView}) and kept, as in the paper, when their liver covers at least
 * F of the slice (default 1.5 %; 0 keeps every slice). HU stay unwindowed: the model card's intensity mapping
 * windows them. Case id {@code lits-N}, pixel spacing from the NIfTI affine. {@code &size=N} resamples the kept
 * slices to NxN (bilinear HU, nearest mask, spacing scaled) to hold 4x more slices in memory at N = 256.
 *
 * <p>Memory: volumes are read one at a time (the segmentation first, to choose the slices) and only the kept
 * slices are retained, so the peak is one volume plus the kept slices (about 1.25 MB per 512x512 slice, 0.3 MB
 * at size=256).
 */
public final class LitsVolumesSource implements LabelledSliceSource {

    public static final String SCHEME = "lits";
    public static final double DEFAULT_MIN_LIVER_FRACTION = 0.015;
    private static final Pattern VOLUME = Pattern.compile("volume-(\\d+)\\.nii(\\.gz)?");
    private static final String MIN_LIVER = "min-liver-fraction=";
    private static final String SIZE = "size=";
    private static final Logger LOG = Logger.getLogger(LitsVolumesSource.class);

    private final Path root;
    private final double minLiverFraction;
    /** Side the kept slices are resampled to (0 = native resolution). */
    private final int size;
    private int volumesRead;
    private int slicesKept;

    public LitsVolumesSource(String argument) {
        if (argument == null || argument.isBlank()) {
            throw new IllegalArgumentException("lits needs a directory: lits:PATH[?" + MIN_LIVER + "0.015][&" + SIZE + "256]");
        }
        int q = argument.lastIndexOf('?');
        double fraction = DEFAULT_MIN_LIVER_FRACTION;
        int side = 0;
        if (q >= 0) {
            for (String option : argument.substring(q + 1).split("&")) {
                if (option.startsWith(MIN_LIVER)) {
                    fraction = number(option, MIN_LIVER);
                    if (!(fraction >= 0 && fraction <= 1)) {
                        throw new IllegalArgumentException("lits " + MIN_LIVER + " must be a number in [0, 1], found "
                                + option.substring(MIN_LIVER.length()));
                    }
                } else if (option.startsWith(SIZE)) {
                    double v = number(option, SIZE);
                    if (!(v >= 16 && v <= 4096 && v == Math.rint(v))) {
                        throw new IllegalArgumentException("lits " + SIZE + " must be an integer in [16, 4096], found "
                                + option.substring(SIZE.length()));
                    }
                    side = (int) v;
                } else {
                    throw new IllegalArgumentException("lits options must be " + MIN_LIVER + "F or " + SIZE + "N joined by &, found "
                            + option);
                }
            }
            argument = argument.substring(0, q);
        }
        this.root = Path.of(argument);
        this.minLiverFraction = fraction;
        this.size = side;
    }

    private static double number(String option, String name) {
        try {
            return Double.parseDouble(option.substring(name.length()));
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    public double minLiverFraction() {
        return minLiverFraction;
    }

    @Override
    public String describe() {
        return String.format(Locale.ROOT, "%s:%s (NIfTI volumes; slices with liver >= %.1f%% of the slice%s; %d volumes, %d slices)",
                SCHEME, root, 100 * minLiverFraction, size == 0 ? "" : ", resampled to " + size + "x" + size, volumesRead,
                slicesKept);
    }

    @Override
    public List<LabelledSlice> load() throws IOException {
        List<Path> volumes = volumeFiles(root);
        List<LabelledSlice> slices = new ArrayList<>();
        int done = 0;
        for (Path volume : volumes) {
            Matcher m = VOLUME.matcher(volume.getFileName().toString());
            if (!m.matches()) {
                throw new IllegalStateException(volume.toString());
            }
            String n = m.group(1);
            int before = slices.size();
            readCase(n, volume, segmentationOf(n, volume), slices);
            done++;
            LOG.infof("lits: %s: %d slices kept (%d/%d volumes, %d slices so far)", volume.getFileName(),
                    slices.size() - before, done, volumes.size(), slices.size());
        }
        volumesRead = volumes.size();
        slicesKept = slices.size();
        if (slices.isEmpty()) {
            throw new IOException("lits directory " + root + ": no slice has liver covering at least "
                    + minLiverFraction + " of the slice in " + volumes.size() + " volumes");
        }
        return slices;
    }

    /** PATH/volume-N.nii[.gz] sorted by N; an IOException naming the folder when there are none. */
    static List<Path> volumeFiles(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new IOException("lits directory " + root + " does not exist or is not a directory");
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(root)) {
            files = list.filter(p -> VOLUME.matcher(p.getFileName().toString()).matches())
                    .sorted(Comparator.comparingLong(LitsVolumesSource::volumeNumber)).toList();
        }
        if (files.isEmpty()) {
            throw new IOException("lits directory " + root + " holds no volume-N.nii or volume-N.nii.gz file");
        }
        return files;
    }

    private static long volumeNumber(Path p) {
        Matcher m = VOLUME.matcher(p.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : Long.MAX_VALUE;
    }

    private Path segmentationOf(String n, Path volume) throws IOException {
        for (String name : List.of("segmentation-" + n + ".nii", "segmentation-" + n + ".nii.gz")) {
            Path seg = root.resolve(name);
            if (Files.isRegularFile(seg)) {
                return seg;
            }
        }
        throw new IOException("lits volume " + volume + " has no segmentation: expected " + root.resolve("segmentation-"
                + n + ".nii") + " or .nii.gz");
    }

    /** Reads the segmentation first to choose slices, then the volume, keeping only the chosen slices. */
    private void readCase(String n, Path volumeFile, Path segFile, List<LabelledSlice> out) throws IOException {
        List<Integer> kept = new ArrayList<>();
        List<byte[]> masks = new ArrayList<>();
        int rows;
        int columns;
        int count;
        try {
            LpsAxialView seg = LpsAxialView.of(NiftiReader.read(segFile));
            rows = seg.rows();
            columns = seg.columns();
            count = seg.sliceCount();
            double minPixels = minLiverFraction * rows * columns;
            for (int k = 0; k < count; k++) {
                float[] labels = seg.slice(k);
                byte[] mask = new byte[labels.length];
                int liver = 0;
                for (int p = 0; p < labels.length; p++) {
                    if (Math.round(labels[p]) > 0) {
                        mask[p] = 1;
                        liver++;
                    }
                }
                if (liver >= minPixels) {
                    kept.add(k);
                    masks.add(mask);
                }
            }
        } catch (VolumeException e) {
            throw new IOException("lits segmentation " + segFile + ": " + e.getMessage(), e);
        }
        if (kept.isEmpty()) {
            return;
        }
        try {
            LpsAxialView volume = LpsAxialView.of(NiftiReader.read(volumeFile));
            if (volume.rows() != rows || volume.columns() != columns || volume.sliceCount() != count) {
                throw new IOException("lits volume " + volumeFile + " is " + volume.columns() + "x" + volume.rows() + "x"
                        + volume.sliceCount() + " but its segmentation " + segFile + " is " + columns + "x" + rows + "x" + count);
            }
            for (int i = 0; i < kept.size(); i++) {
                float[] hu = volume.slice(kept.get(i));
                if (size == 0) {
                    out.add(new LabelledSlice("lits-" + n, rows, columns, hu, masks.get(i), volume.rowSpacing(),
                            volume.columnSpacing()));
                } else {
                    out.add(new LabelledSlice("lits-" + n, size, size, Resampling.bilinear(hu, rows, columns, size, size),
                            Resampling.nearest(masks.get(i), rows, columns, size, size),
                            volume.rowSpacing() * rows / size, volume.columnSpacing() * columns / size));
                }
            }
        } catch (VolumeException e) {
            throw new IOException("lits volume " + volumeFile + ": " + e.getMessage(), e);
        }
    }
}
