package org.livernode.volume.nifti;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.livernode.dicom.ExternalTool;

/**
 * Our NIfTI reader and writer against an independent implementation, nibabel (Debian's python3-nibabel): files
 * nibabel writes read back with the same values, datatype, dims and affine; files we write read the same in nibabel.
 */
class NiftiNibabelCrossCheckTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static String python;

    @TempDir
    Path dir;

    @BeforeAll
    static void findNibabel() throws Exception {
        for (String candidate : List.of("/usr/bin/python3", "python3")) {
            if (ExternalTool.available(candidate)
                    && ExternalTool.run(List.of(candidate, "-c", "import nibabel"), 60).exitCode() == 0) {
                python = candidate;
                return;
            }
        }
    }

    @Test
    void readsWhatNibabelWrites() throws Exception {
        assumeTrue(python != null, "python3 with nibabel (Debian python3-nibabel) is not installed");
        resource("read_with_nibabel.py");
        Path script = resource("write_with_nibabel.py");
        String out = ExternalTool.runOk(List.of(python, script.toString(), dir.toString()));
        int cases = 0;
        for (String line : out.strip().split("\n")) {
            JsonNode facts = JSON.readTree(line);
            Path file = dir.resolve(facts.get("name").asText());
            NiftiImage img = NiftiReader.read(file);
            String what = file.getFileName().toString();
            assertEquals(facts.get("datatype").asInt(), img.datatype().code(), what);
            assertEquals(facts.get("shape").get(0).asInt(), img.nx(), what);
            assertEquals(facts.get("shape").get(1).asInt(), img.ny(), what);
            assertEquals(facts.get("shape").get(2).asInt(), img.nz(), what);
            assertEquals(facts.get("qform_code").asInt(), img.qformCode(), what);
            assertEquals(facts.get("sform_code").asInt(), img.sformCode(), what);
            for (int a = 0; a < 3; a++) {
                assertEquals(facts.get("pixdim").get(a).asDouble(), img.spacing()[a], 1e-7, what + " pixdim");
            }
            assertAffine(facts.get("affine"), img.affineRas(), what);
            double[] expected = doubles(Path.of(file + ".f64"));
            int p = 0;
            for (int k = 0; k < img.nz(); k++) {
                for (int j = 0; j < img.ny(); j++) {
                    for (int i = 0; i < img.nx(); i++) {
                        assertEquals(expected[p], img.doubleValue(i, j, k), Math.abs(expected[p]) * 1e-7,
                                what + " voxel " + i + "," + j + "," + k);
                        assertEquals((float) expected[p], img.axialSlice(k)[i + img.nx() * j],
                                Math.abs(expected[p]) * 1e-6, what);
                        p++;
                    }
                }
            }
            cases++;
        }
        assertEquals(7, cases);
    }

    @Test
    void nibabelReadsWhatWeWrite() throws Exception {
        assumeTrue(python != null, "python3 with nibabel (Debian python3-nibabel) is not installed");
        double c = Math.cos(0.3);
        double s = Math.sin(0.3);
        double[][] oblique = {{0.7 * c, -0.7 * s, 0, -100.5}, {0.7 * s, 0.7 * c, 0, 50.25}, {0, 0, -2.5, 30}, {0, 0, 0, 1}};
        double[][] shear = {{1, 0.2, 0, 1}, {0, 1, 0, 2}, {0, 0.1, 3, 4}, {0, 0, 0, 1}};
        List<NiftiImage> images = List.of(
                NiftiImage.builder(5, 4, 3).setDatatype(NiftiDatatype.INT16).setAffineRas(oblique)
                        .setScaling(1, -1024).setValues(p -> (p * 37) % 3000 - 1024).build(),
                NiftiImage.builder(4, 4, 2).setDatatype(NiftiDatatype.UINT8).setAffineLps(lpsAxial())
                        .setValues(p -> p % 2).build(),
                NiftiImage.builder(3, 5, 2).setDatatype(NiftiDatatype.FLOAT32).setAffineRas(shear)
                        .setValues(p -> p * 0.37 - 2.5).build(),
                NiftiImage.builder(3, 2, 2).setDatatype(NiftiDatatype.INT32).setXformCode(2)
                        .setValues(p -> p * 100003 - 500000).build(),
                NiftiImage.builder(2, 2, 2).setDatatype(NiftiDatatype.FLOAT64).setScaling(0.5, 3)
                        .setValues(p -> p * 1.25 + 0.001).build());
        List<String> names = List.of("int16.nii", "uint8.nii.gz", "float32_shear.nii", "int32.nii.gz", "float64.nii");
        List<String> cmd = new ArrayList<>(List.of(python, resource("read_with_nibabel.py").toString()));
        for (int n = 0; n < images.size(); n++) {
            Path f = dir.resolve(names.get(n));
            NiftiWriter.write(images.get(n), f);
            cmd.add(f.toString());
        }
        String[] lines = ExternalTool.runOk(cmd).strip().split("\n");
        assertEquals(images.size(), lines.length);
        for (int n = 0; n < images.size(); n++) {
            NiftiImage img = images.get(n);
            JsonNode facts = JSON.readTree(lines[n]);
            String what = names.get(n);
            assertEquals(img.datatype().code(), facts.get("datatype").asInt(), what);
            assertEquals(List.of(img.nx(), img.ny(), img.nz()),
                    List.of(facts.get("shape").get(0).asInt(), facts.get("shape").get(1).asInt(),
                            facts.get("shape").get(2).asInt()), what);
            assertAffine(facts.get("sform"), img.affineRas(), what + " sform");
            assertAffine(facts.get("affine"), img.affineRas(), what + " best affine");
            if (!what.contains("shear")) {
                assertAffine(facts.get("qform"), img.affineRas(), what + " qform");
                assertEquals(img.qformCode(), facts.get("qform_code").asInt(), what);
            } else {
                assertEquals(0, facts.get("qform_code").asInt(), "a sheared affine cannot be a qform");
            }
            double[] values = doubles(Path.of(dir.resolve(what) + ".f64"));
            for (int k = 0, p = 0; k < img.nz(); k++) {
                for (int j = 0; j < img.ny(); j++) {
                    for (int i = 0; i < img.nx(); i++, p++) {
                        assertEquals(img.doubleValue(i, j, k), values[p], Math.abs(values[p]) * 1e-7, what);
                    }
                }
            }
            // and our reader gives back what we wrote
            NiftiImage back = NiftiReader.read(dir.resolve(what));
            assertEquals(img.doubleValue(1, 1, 1), back.doubleValue(1, 1, 1), 1e-6, what);
        }
        assertEquals(-1024.0, images.get(0).doubleValue(0, 0, 0), 0);
    }

    /** A DICOM-like axial LPS affine: rows along +x (L), columns along +y (P), slices along +z. */
    private static double[][] lpsAxial() {
        return new double[][] {{0.8, 0, 0, -200}, {0, 0.8, 0, -180}, {0, 0, 5, -60}, {0, 0, 0, 1}};
    }

    private static void assertAffine(JsonNode expected, double[][] actual, String what) {
        for (int r = 0; r < 4; r++) {
            for (int c = 0; c < 4; c++) {
                assertEquals(expected.get(r).get(c).asDouble(), actual[r][c], 1e-5, what + " affine[" + r + "][" + c + "]");
            }
        }
    }

    private static double[] doubles(Path f) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
        double[] d = new double[b.remaining() / 8];
        b.asDoubleBuffer().get(d);
        return d;
    }

    private Path resource(String name) throws IOException {
        Path target = dir.resolve(name);
        try (InputStream in = getClass().getResourceAsStream("/nifti/" + name)) {
            Files.copy(in, target);
        }
        return target;
    }
}
