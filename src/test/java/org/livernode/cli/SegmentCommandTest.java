package org.livernode.cli;

import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.livernode.dicom.ExternalTool;
import org.livernode.dicom.seg.DecodedSegmentation;
import org.livernode.dicom.seg.SegmentationReader;
import org.livernode.dicom.synthetic.SyntheticCtSeries;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code livernode segment} as a user runs it: the whole application, the bundled model, exit codes and messages. */
@QuarkusMainTest
class SegmentCommandTest {

    @TempDir
    Path temp;

    private static SyntheticCtSeries.Builder phantom() {
        return SyntheticCtSeries.builder().setSliceCount(10).setRows(128).setColumns(128).setPixelSpacing(3, 3);
    }

    @Test
    void segmentsTheOnlySeriesOfAFolderIntoAValidSeg(QuarkusMainLauncher launcher) throws Exception {
        SyntheticCtSeries ct = phantom().write(temp.resolve("in/nested"));
        Path seg = temp.resolve("out/liver-seg.dcm");
        LaunchResult r = launcher.launch("segment", "--input", temp.resolve("in").toString(), "--output", seg.toString());
        String said = r.getOutput() + r.getErrorOutput();
        assertEquals(0, r.exitCode(), said);
        assertTrue(said.contains("SEG written: " + seg), said);
        assertTrue(said.contains("10/10 slices"), "progress is shown: " + said);

        ExternalTool.Result check = ExternalTool.run(java.util.List.of("dciodvfy", seg.toString()), 120);
        assertEquals(0, check.exitCode(), check.stdout() + check.stderr());
        DecodedSegmentation decoded = SegmentationReader.read(seg);
        assertEquals(10, decoded.frames().size());
        Set<String> sources = new HashSet<>();
        for (int k = 0; k < ct.sliceCount(); k++) {
            sources.add(ct.sopInstanceUid(k));
        }
        assertEquals(sources, decoded.masksByReferencedSopInstanceUid(1).keySet());
        assertEquals(ct.studyInstanceUid(), decoded.studyInstanceUid());
    }

    @Test
    void aFolderWithTwoSeriesIsRefusedWithTheirList(QuarkusMainLauncher launcher) throws Exception {
        SyntheticCtSeries first = phantom().setSliceCount(3).write(temp.resolve("in/a"));
        SyntheticCtSeries second = phantom().setSliceCount(4).write(temp.resolve("in/b"));
        Path seg = temp.resolve("seg.dcm");
        LaunchResult r = launcher.launch("segment", "--input", temp.resolve("in").toString(), "--output", seg.toString());
        String said = r.getErrorOutput() + r.getOutput();
        assertEquals(2, r.exitCode(), said);
        assertTrue(said.contains("holds 2 series; choose one with --series"), said);
        assertTrue(said.contains(first.seriesInstanceUid() + ": 3 files"), said);
        assertTrue(said.contains(second.seriesInstanceUid() + ": 4 files"), said);
        assertTrue(Files.notExists(seg), "no SEG written");

    }

    @Test
    void anEmptyFolderIsRefused(QuarkusMainLauncher launcher) throws Exception {
        Path empty = Files.createDirectories(temp.resolve("empty"));
        Files.writeString(empty.resolve("README.txt"), "not DICOM");
        LaunchResult r = launcher.launch("segment", "--input", empty.toString(), "--output", temp.resolve("seg.dcm").toString());
        String said = r.getErrorOutput() + r.getOutput();
        assertEquals(2, r.exitCode(), said);
        assertTrue(said.contains("no DICOM files in " + empty), said);
    }
}
