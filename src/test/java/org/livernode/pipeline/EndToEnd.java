package org.livernode.pipeline;

import org.livernode.config.LivernodeConfig;
import org.livernode.dicom.DcmtkStoreScp;
import org.livernode.dicom.DicomNode;
import org.livernode.dicom.ExternalTool;
import org.livernode.dicom.synthetic.SyntheticCtSeries;
import org.livernode.dicom.vocabulary.RemoteAe;
import org.livernode.testing.Dcmtk;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Test-only: what the end-to-end tests do with real peers (dcmtk storescu in, storescp as the PACS, dciodvfy). */
final class EndToEnd {

    private EndToEnd() {
    }

    /** A phantom CT series, 256x256 at 1.5 mm: the scale of the training slices, so the model input needs no resize. */
    static SyntheticCtSeries.Builder phantom(int slices) {
        return SyntheticCtSeries.builder().setSliceCount(slices).setRows(256).setColumns(256)
                .setPixelSpacing(1.5, 1.5).setSliceSpacing(5.0);
    }

    /** A storescp for the known AE {@code aeTitle} (at its configured port), storing into {@code dir}; not started. */
    static DcmtkStoreScp knownScp(LivernodeConfig config, String aeTitle, Path dir) throws Exception {
        RemoteAe ae = config.knownAes().orElseThrow().stream()
                .filter(a -> a.aeTitle().equals(aeTitle)).findFirst().orElseThrow();
        return new DcmtkStoreScp(aeTitle, ae.port(), Files.createDirectories(dir));
    }

    /** storescu of {@code files} to the node as {@code callingAe}; every C-STORE must succeed. */
    static void send(DicomNode node, String callingAe, List<Path> files) throws Exception {
        List<String> command = new ArrayList<>(List.of("storescu", "-aet", callingAe, "-aec", node.aeTitle(),
                "127.0.0.1", Integer.toString(node.port())));
        files.forEach(f -> command.add(f.toString()));
        Dcmtk.Result r = Dcmtk.run(command);
        assertEquals(0, r.exitCode(), r.output());
    }

    static void assertDciodvfyClean(Path file) throws Exception {
        ExternalTool.Result check = ExternalTool.run(List.of("dciodvfy", file.toString()), 120);
        String report = check.stdout() + check.stderr();
        assertTrue(report.lines().noneMatch(l -> l.startsWith("Error")), file + ":\n" + report);
        assertEquals(0, check.exitCode(), file + ":\n" + report);
    }

    static List<Path> files(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }
}
