// Writes a synthetic abdomen CT series (the tests' generator, org.livernode.dicom.synthetic) for the bench scripts.
// Usage: java -cp "<quarkus-app jars>" bench/SyntheticSeries.java SLICES SIZE SLICE_SPACING_MM OUT_DIR
import org.livernode.dicom.synthetic.SyntheticCtSeries;

import java.nio.file.Path;

public class SyntheticSeries {
    public static void main(String[] args) {
        int slices = Integer.parseInt(args[0]);
        int size = Integer.parseInt(args[1]);
        double spacing = Double.parseDouble(args[2]);
        double pixel = 384.0 / size; // a 384 mm field of view, as an abdomen CT has
        SyntheticCtSeries ct = SyntheticCtSeries.builder().setSliceCount(slices).setRows(size).setColumns(size)
                .setPixelSpacing(pixel, pixel).setSliceSpacing(spacing).setSeed(13).write(Path.of(args[3]));
        System.out.println(ct.seriesInstanceUid());
    }
}
