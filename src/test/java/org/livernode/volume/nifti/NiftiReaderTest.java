package org.livernode.volume.nifti;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.livernode.volume.VolumeException;

class NiftiReaderTest {

    @TempDir
    Path dir;

    @Test
    void roundTripsAnAxialCtAndItsMaskThroughNiiGz() throws Exception {
        int nx = 64;
        int ny = 48;
        int nz = 5;
        float[] hu = new float[nx * ny * nz];
        byte[] mask = new byte[hu.length];
        for (int p = 0; p < hu.length; p++) {
            hu[p] = (p * 7919) % 4096 - 1024;
            mask[p] = (byte) (p % 3 == 0 ? 1 : 0);
        }
        double[][] lps = {{0.7, 0, 0, -180}, {0, 0.7, 0, -150}, {0, 0, 2.5, 40}, {0, 0, 0, 1}};
        NiftiImage ct = NiftiImage.builder(nx, ny, nz).setDatatype(NiftiDatatype.INT16).setScaling(1, -1024)
                .setAffineLps(lps).setValues(hu).build();
        NiftiWriter.write(ct, dir.resolve("ct.nii.gz"));
        NiftiWriter.write(NiftiImage.builder(nx, ny, nz).setDatatype(NiftiDatatype.UINT8).setAffineLps(lps)
                .setValues(mask).build(), dir.resolve("mask.nii"));
        NiftiImage back = NiftiReader.read(dir.resolve("ct.nii.gz"));
        NiftiImage backMask = NiftiReader.read(dir.resolve("mask.nii"));
        assertEquals(352 + hu.length, Files.size(dir.resolve("mask.nii")));
        assertArrayEquals(new double[] {0.7, 0.7, 2.5}, back.spacing(), 1e-6);
        for (int r = 0; r < 4; r++) {
            assertArrayEquals(lps[r], back.affineLps()[r], 1e-5);
        }
        assertEquals(180, back.affineRas()[0][3], 1e-5, "RAS x = -LPS x");
        for (int k = 0; k < nz; k++) {
            float[] slice = back.axialSlice(k);
            float[] maskSlice = backMask.axialSlice(k);
            for (int p = 0; p < nx * ny; p++) {
                assertEquals(hu[k * nx * ny + p], slice[p], 0);
                assertEquals(mask[k * nx * ny + p], maskSlice[p], 0);
            }
        }
        assertEquals(hu[3 + nx * (2 + ny * 4)], back.floatValue(3, 2, 4), 0);
    }

    @Test
    void refusesWhatItCannotRead() throws Exception {
        Path junk = Files.write(dir.resolve("junk.nii"), new byte[400]);
        VolumeException e = assertThrows(VolumeException.class, () -> NiftiReader.read(junk));
        assertTrue(e.getMessage().contains("sizeof_hdr is 348") && e.getMessage().contains("found 0"), e.getMessage());

        NiftiImage img = NiftiImage.builder(2, 2, 2).setValues(p -> p).build();
        Path f = dir.resolve("4d.nii");
        NiftiWriter.write(img, f);
        byte[] b = Files.readAllBytes(f);
        ByteBuffer h = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        h.putShort(40, (short) 4);
        h.putShort(48, (short) 3);
        Files.write(f, b);
        e = assertThrows(VolumeException.class, () -> NiftiReader.read(f));
        assertTrue(e.getMessage().contains("dim[4] is 3"), e.getMessage());

        h.putShort(40, (short) 3);
        h.putShort(70, (short) 128); // RGB24
        Files.write(f, b);
        e = assertThrows(VolumeException.class, () -> NiftiReader.read(f));
        assertTrue(e.getMessage().contains("datatype code 128 is not supported"), e.getMessage());

        IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
                () -> NiftiImage.builder(1, 1, 1).setDatatype(NiftiDatatype.UINT8).setValues(p -> 300).build());
        assertTrue(range.getMessage().contains("outside the range of UINT8"), range.getMessage());
    }
}
