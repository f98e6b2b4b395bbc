package org.livernode.volume.nifti;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a {@link NiftiImage} as single-file NIfTI-1, little endian, gzip-compressed when the name ends in .gz.
 * The affine goes into the sform and, when it is a scaled rotation, also into the qform (both with the image's
 * codes); pixdim holds the voxel sizes and qfac, xyzt_units says millimetres.
 */
public final class NiftiWriter {

    private NiftiWriter() {
    }

    public static void write(NiftiImage image, Path file) throws IOException {
        ByteBuffer h = ByteBuffer.allocate(NiftiHeader.DATA_OFFSET).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(0, NiftiHeader.SIZEOF_HDR);
        h.put(38, (byte) 'r'); // "regular", as ANALYZE tools expect
        short[] dim = {3, (short) image.nx(), (short) image.ny(), (short) image.nz(), 1, 1, 1, 1};
        if (image.nx() > Short.MAX_VALUE || image.ny() > Short.MAX_VALUE || image.nz() > Short.MAX_VALUE) {
            throw new IllegalArgumentException("NIfTI-1 dimensions must be <= 32767, found " + image.nx() + "x"
                    + image.ny() + "x" + image.nz());
        }
        for (int a = 0; a < 8; a++) {
            h.putShort(NiftiHeader.DIM + 2 * a, dim[a]);
        }
        h.putShort(NiftiHeader.DATATYPE, (short) image.datatype().code());
        h.putShort(NiftiHeader.BITPIX, (short) image.datatype().bitsPerVoxel());
        double[][] m = image.affineRas();
        double[] q = NiftiHeader.quaternion(m);
        double[] spacing = image.spacing();
        h.putFloat(NiftiHeader.PIXDIM, q == null ? 1f : (float) q[3]);
        for (int a = 0; a < 3; a++) {
            h.putFloat(NiftiHeader.PIXDIM + 4 * (a + 1), (float) spacing[a]);
        }
        h.putFloat(NiftiHeader.VOX_OFFSET, NiftiHeader.DATA_OFFSET);
        h.putFloat(NiftiHeader.SCL_SLOPE, (float) image.sclSlope());
        h.putFloat(NiftiHeader.SCL_INTER, (float) image.sclInter());
        h.put(NiftiHeader.XYZT_UNITS, (byte) 2); // NIFTI_UNITS_MM
        byte[] descrip = image.description().getBytes(StandardCharsets.US_ASCII);
        h.put(NiftiHeader.DESCRIP, descrip, 0, Math.min(79, descrip.length));
        h.putShort(NiftiHeader.QFORM_CODE, (short) (q == null ? 0 : image.qformCode()));
        h.putShort(NiftiHeader.SFORM_CODE, (short) image.sformCode());
        if (q != null) {
            for (int a = 0; a < 3; a++) {
                h.putFloat(NiftiHeader.QUATERN_B + 4 * a, (float) q[a]);
                h.putFloat(NiftiHeader.QUATERN_B + 12 + 4 * a, (float) q[7 + a]);
            }
        }
        for (int row = 0; row < 3; row++) {
            for (int c = 0; c < 4; c++) {
                h.putFloat(NiftiHeader.SROW_X + 16 * row + 4 * c, (float) m[row][c]);
            }
        }
        h.put(NiftiHeader.MAGIC, "n+1\0".getBytes(StandardCharsets.US_ASCII));
        ByteBuffer data = image.data();
        byte[] voxels = new byte[data.remaining()];
        data.get(voxels);
        if (data.order() != ByteOrder.LITTLE_ENDIAN) {
            swap(voxels, image.datatype().bytesPerVoxel());
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (OutputStream out = open(file)) {
            out.write(h.array());
            out.write(voxels);
        }
    }

    private static OutputStream open(Path file) throws IOException {
        OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
        return file.getFileName().toString().endsWith(".gz") ? new GZIPOutputStream(out, 1 << 16) : out;
    }

    private static void swap(byte[] b, int width) {
        for (int p = 0; p + width <= b.length; p += width) {
            for (int i = 0; i < width / 2; i++) {
                byte t = b[p + i];
                b[p + i] = b[p + width - 1 - i];
                b[p + width - 1 - i] = t;
            }
        }
    }
}
