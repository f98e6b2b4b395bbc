package org.livernode.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.livernode.dicom.ExternalTool;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The independent reader of the node's SR: pydicom (src/test/resources/sr/read_measurement_report.py) as JSON. */
public final class PydicomSr {

    private PydicomSr() {
    }

    public static JsonNode read(Path sr) throws Exception {
        Path script = Path.of("src/test/resources/sr/read_measurement_report.py").toAbsolutePath();
        ExternalTool.Result r = ExternalTool.run(List.of("/usr/bin/python3", script.toString(), sr.toString()), 120);
        assertEquals(0, r.exitCode(), "pydicom reader failed (python3-pydicom installed? see .ci/install-deps):\n" + r.stderr());
        return new ObjectMapper().readTree(r.stdout());
    }
}
