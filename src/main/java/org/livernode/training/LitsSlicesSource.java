package org.livernode.training;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code lits-slices:PATH}: PATH/images/NAME.jpg (grey = HU clipped to [0, 255]) and PATH/masks/NAME.jpg
 * (liver where grey > 127), NAME = (flipped|mirrored)_VOLUME_SLICE. The case id is the LiTS volume, so copies
 * of one slice and slices of one patient share it. Pixel spacing is unknown there: 1.0 mm is recorded, so
 * distances come out in pixels.
 */
public final class LitsSlicesSource implements LabelledSliceSource {

    public static final String SCHEME = "lits-slices";
    private static final Pattern NAME = Pattern.compile("(?:flipped|mirrored)_(\\d+)_(\\d+)\\.jpg");

    private final Path root;

    public LitsSlicesSource(String argument) {
        if (argument == null || argument.isBlank()) {
            throw new IllegalArgumentException("lits-slices needs a directory: lits-slices:PATH");
        }
        this.root = Path.of(argument);
    }

    @Override
    public String describe() {
        return SCHEME + ":" + root;
    }

    @Override
    public List<LabelledSlice> load() throws IOException {
        Path images = root.resolve("images");
        Path masks = root.resolve("masks");
        if (!Files.isDirectory(images) || !Files.isDirectory(masks)) {
            throw new IOException("lits-slices directory " + root + " must hold images/ and masks/");
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(images)) {
            files = list.filter(p -> NAME.matcher(p.getFileName().toString()).matches()).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new IOException("lits-slices directory " + images + " holds no (flipped|mirrored)_VOLUME_SLICE.jpg file");
        }
        List<LabelledSlice> slices = new ArrayList<>(files.size());
        try {
            files.parallelStream().map(this::read).forEachOrdered(slices::add);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return slices;
    }

    private LabelledSlice read(Path image) {
        String name = image.getFileName().toString();
        Matcher m = NAME.matcher(name);
        if (!m.matches()) {
            throw new IllegalStateException(name);
        }
        try {
            Raster grey = decode(image).getRaster();
            Path maskFile = root.resolve("masks").resolve(name);
            if (!Files.isRegularFile(maskFile)) {
                throw new IOException("lits-slices image " + name + " has no mask " + maskFile);
            }
            Raster mask = decode(maskFile).getRaster();
            int rows = grey.getHeight();
            int cols = grey.getWidth();
            if (mask.getHeight() != rows || mask.getWidth() != cols) {
                throw new IOException("lits-slices mask " + maskFile + " is " + mask.getWidth() + "x" + mask.getHeight()
                        + ", image is " + cols + "x" + rows);
            }
            float[] hu = new float[rows * cols];
            byte[] liver = new byte[rows * cols];
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    hu[r * cols + c] = grey.getSample(c, r, 0);
                    liver[r * cols + c] = (byte) (mask.getSample(c, r, 0) > 127 ? 1 : 0);
                }
            }
            return new LabelledSlice("lits-" + m.group(1), rows, cols, hu, liver, 1.0, 1.0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The JDK's baseline JPEG reader, asked by name: probing every ImageIO plug-in makes PixelMed's print to stdout. */
    private static BufferedImage decode(Path file) throws IOException {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("jpeg");
        ImageReader reader = null;
        while (readers.hasNext()) {
            ImageReader r = readers.next();
            if (reader == null || r.getClass().getName().startsWith("com.sun.imageio")) {
                reader = r;
            }
        }
        if (reader == null) {
            throw new IOException("no JPEG reader available to decode " + file);
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            reader.setInput(in);
            return reader.read(0);
        } catch (IOException | RuntimeException e) {
            throw new IOException("cannot decode " + file + " as JPEG: " + e.getMessage(), e);
        } finally {
            reader.dispose();
        }
    }
}
