package org.livernode.volume.nifti;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.livernode.volume.VolumeException;

/** Reads single-file NIfTI-1 images (.nii, .nii.gz; little or big endian) of up to 3 dimensions. */
public final class NiftiReader {

    private NiftiReader() {
    }

    public static NiftiImage read(Path file) throws IOException {
        byte[] bytes;
        try (InputStream in = open(file)) {
            bytes = in.readAllBytes();
        }
        return parse(file, bytes);
    }

    private static InputStream open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        return b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(in, 1 << 16) : in;
    }

    private static NiftiImage parse(Path file, byte[] bytes) {
        if (bytes.length < NiftiHeader.SIZEOF_HDR) {
            throw new VolumeException("rule 'a NIfTI-1 file starts with a 348-byte header' failed for " + file
                    + ": the file has " + bytes.length + " bytes");
        }
        ByteBuffer h = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (h.getInt(0) != NiftiHeader.SIZEOF_HDR) {
            h.order(ByteOrder.BIG_ENDIAN);
            if (h.getInt(0) != NiftiHeader.SIZEOF_HDR) {
                throw new VolumeException("rule 'sizeof_hdr is 348' failed for " + file + ": found "
                        + h.order(ByteOrder.LITTLE_ENDIAN).getInt(0) + " (not a NIfTI-1 file)");
            }
        }
        String magic = new String(bytes, NiftiHeader.MAGIC, 3, StandardCharsets.US_ASCII);
        if (!"n+1".equals(magic)) {
            throw new VolumeException("rule 'magic is n+1 (single-file NIfTI-1)' failed for " + file + ": found '"
                    + magic.replace('\0', ' ').trim() + "'" + ("ni1".equals(magic) ? " (.hdr/.img pairs are not read)" : ""));
        }
        int rank = h.getShort(NiftiHeader.DIM);
        if (rank < 1 || rank > 7) {
            throw new VolumeException("rule 'dim[0] is 1..7' failed for " + file + ": found " + rank);
        }
        int[] dim = new int[8];
        for (int a = 1; a <= 7; a++) {
            dim[a] = a <= rank ? h.getShort(NiftiHeader.DIM + 2 * a) : 1;
        }
        for (int a = 4; a <= rank; a++) {
            if (dim[a] != 1) {
                throw new VolumeException("rule 'a 3D image (dim[4..7] = 1)' failed for " + file + ": dim[" + a
                        + "] is " + dim[a]);
            }
        }
        NiftiDatatype type;
        try {
            type = NiftiDatatype.ofCode(h.getShort(NiftiHeader.DATATYPE));
        } catch (IllegalArgumentException e) {
            throw new VolumeException(e.getMessage() + " in " + file, e);
        }
        double[] pixdim = new double[8];
        for (int a = 0; a < 8; a++) {
            pixdim[a] = h.getFloat(NiftiHeader.PIXDIM + 4 * a);
        }
        double[] spacing = {Math.abs(pixdim[1]), rank >= 2 ? Math.abs(pixdim[2]) : 1, rank >= 3 ? Math.abs(pixdim[3]) : 1};
        long offset = (long) h.getFloat(NiftiHeader.VOX_OFFSET);
        offset = Math.max(offset, NiftiHeader.SIZEOF_HDR);
        long size = (long) dim[1] * dim[2] * dim[3] * type.bytesPerVoxel();
        if (offset + size > bytes.length) {
            throw new VolumeException("rule 'the file holds dim[1]*dim[2]*dim[3] voxels after vox_offset' failed for "
                    + file + ": needs " + (offset + size) + " bytes, has " + bytes.length);
        }
        int qcode = h.getShort(NiftiHeader.QFORM_CODE);
        int scode = h.getShort(NiftiHeader.SFORM_CODE);
        double[][] affine = affine(h, qcode, scode, spacing, pixdim[0]);
        String descrip = new String(bytes, NiftiHeader.DESCRIP, 80, StandardCharsets.ISO_8859_1);
        int nul = descrip.indexOf('\0');
        descrip = nul >= 0 ? descrip.substring(0, nul) : descrip;
        ByteBuffer data = ByteBuffer.wrap(bytes, (int) offset, (int) size).slice().order(h.order());
        return new NiftiImage(dim[1], dim[2], dim[3], type, spacing, h.getFloat(NiftiHeader.SCL_SLOPE),
                h.getFloat(NiftiHeader.SCL_INTER), qcode, scode, affine, descrip.trim(), data);
    }

    private static double[][] affine(ByteBuffer h, int qcode, int scode, double[] spacing, double qfac) {
        if (scode > 0) {
            double[][] m = new double[4][4];
            for (int row = 0; row < 3; row++) {
                for (int c = 0; c < 4; c++) {
                    m[row][c] = h.getFloat(NiftiHeader.SROW_X + 16 * row + 4 * c);
                }
            }
            m[3][3] = 1;
            return m;
        }
        if (qcode > 0) {
            double b = h.getFloat(NiftiHeader.QUATERN_B);
            double c = h.getFloat(NiftiHeader.QUATERN_B + 4);
            double d = h.getFloat(NiftiHeader.QUATERN_B + 8);
            double[] offset = {h.getFloat(NiftiHeader.QUATERN_B + 12), h.getFloat(NiftiHeader.QUATERN_B + 16),
                    h.getFloat(NiftiHeader.QUATERN_B + 20)};
            return NiftiHeader.qformAffine(b, c, d, spacing, qfac, offset);
        }
        return new double[][] {{spacing[0], 0, 0, 0}, {0, spacing[1], 0, 0}, {0, 0, spacing[2], 0}, {0, 0, 0, 1}};
    }
}
