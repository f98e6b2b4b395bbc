package org.livernode.dicom.sr;

import com.fasterxml.jackson.databind.JsonNode;
import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.livernode.dicom.ExternalTool;
import org.livernode.dicom.TestCtSlices;
import org.livernode.dicom.vocabulary.SopClasses;
import org.livernode.dicom.vocabulary.Uids;
import org.livernode.testing.PydicomSr;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The TID 1500 liver report: dciodvfy-clean, and read back by pydicom to the values it was given. */
class MeasurementReportWriterTest {

    @TempDir
    Path dir;

    private final TestCtSlices ct = new TestCtSlices();
    private final String segSeries = Uids.newUid();
    private final String segSop = Uids.newUid();

    private MeasurementReportWriter.Builder report() throws Exception {
        return MeasurementReportWriter.builder().setSourceImages(ct.headers()).setSegmentation(segSeries, segSop, 1)
                .setVolumeMl(1523.4).setHuStatistics(104.25, 18.96).setAlgorithm("eas-unet-lits", "2");
    }

    /** Runs dciodvfy; returns its report and fails on any error. */
    static String dciodvfyClean(Path file) throws Exception {
        ExternalTool.Result r = ExternalTool.run(List.of("dciodvfy", file.toString()), 60);
        String report = r.stdout() + r.stderr();
        assertEquals(List.of(), report.lines().filter(l -> l.startsWith("Error")).toList(), "dciodvfy errors\n" + report);
        assertEquals(0, r.exitCode(), "dciodvfy exit code\n" + report);
        return report;
    }

    static JsonNode readWithPydicom(Path sr) throws Exception {
        return PydicomSr.read(sr);
    }

    @Test
    void passesDciodvfyWithZeroErrors() throws Exception {
        Path file = dir.resolve("sr.dcm");
        report().build().write(file);
        String report = dciodvfyClean(file);
        System.out.println("dciodvfy on a livernode SR:\n" + report);
    }

    @Test
    void pydicomReadsTheMeasurementsTheReportWasGiven() throws Exception {
        Path file = dir.resolve("sr.dcm");
        MeasurementReportWriter writer = report().build();
        writer.write(file);
        JsonNode sr = readWithPydicom(file);

        assertEquals(SopClasses.ENHANCED_SR_STORAGE, sr.get("sopClassUid").asText());
        assertEquals("SR", sr.get("modality").asText());
        assertEquals(ct.studyUid, sr.get("studyUid").asText(), "same study as the CT");
        assertNotEquals(ct.seriesUid, sr.get("seriesUid").asText(), "its own series");
        assertEquals(writer.seriesInstanceUid(), sr.get("seriesUid").asText());
        assertEquals("LN-0001", sr.get("patientId").asText());
        assertEquals("1500", sr.get("template").asText());
        assertEquals("126000", sr.get("title").get("value").asText());
        assertEquals("Device", sr.get("observer").get("Observer Type").asText(), "observer = the device");
        assertEquals(writer.deviceObserverUid(), sr.get("observer").get("Device Observer UID").asText());
        assertEquals(ct.slices, sr.get("imageLibrary").size(), "every CT slice in the Image Library");

        assertEquals(1, sr.get("groups").size());
        JsonNode g = sr.get("groups").get(0);
        assertEquals("Liver", g.get("trackingIdentifier").asText());
        assertEquals(writer.trackingUid(), g.get("trackingUid").asText());
        assertEquals("10200004", g.get("findingSite").get("value").asText());
        assertEquals("SCT", g.get("findingSite").get("scheme").asText());
        assertEquals(SopClasses.SEGMENTATION_STORAGE, g.get("referencedSegment").get("sopClassUid").asText());
        assertEquals(segSop, g.get("referencedSegment").get("sopInstanceUid").asText());
        assertEquals(1, g.get("referencedSegment").get("segmentNumber").asInt());
        assertEquals(ct.seriesUid, g.get("sourceSeries").asText());
        assertEquals("eas-unet-lits", g.get("Algorithm Name").asText());
        assertEquals("2", g.get("Algorithm Version").asText());

        JsonNode m = g.get("measurements");
        assertEquals(3, m.size());
        assertEquals("118565006", m.get(0).get("name").get("value").asText());
        assertEquals(1523.4, m.get(0).get("value").asDouble(), 0.0);
        assertEquals("ml", m.get(0).get("unit").get("value").asText());
        assertEquals("UCUM", m.get(0).get("unit").get("scheme").asText());
        assertEquals("Mean", m.get(1).get("derivation").asText());
        assertEquals(104.3, m.get(1).get("value").asDouble(), 0.0, "mean HU, to 0.1 HU");
        assertEquals("[hnsf'U]", m.get(1).get("unit").get("value").asText());
        assertEquals("Standard Deviation", m.get(2).get("derivation").asText());
        assertEquals(19.0, m.get(2).get("value").asDouble(), 0.0);
    }

    @Test
    void theSameJobUidsGiveTheSameObjectAndTrackingUid() throws Exception {
        String series = Uids.newUid();
        String sop = Uids.newUid();
        MeasurementReportWriter a = report().optUids(series, sop).build();
        MeasurementReportWriter b = report().optUids(series, sop).build();
        assertEquals(sop, Attribute.getSingleStringValueOrNull(a.build(), TagFromName.SOPInstanceUID));
        assertEquals(a.trackingUid(), b.trackingUid(), "the liver of this series keeps its tracking UID");
    }

    @Test
    void anEmptyLiverReportsZeroVolumeWithoutHuStatistics() throws Exception {
        Path file = dir.resolve("empty.dcm");
        report().setVolumeMl(0).setHuStatistics(Double.NaN, Double.NaN).build().write(file);
        dciodvfyClean(file);
        JsonNode m = readWithPydicom(file).get("groups").get(0).get("measurements");
        assertEquals(1, m.size());
        assertEquals(0.0, m.get(0).get("value").asDouble(), 0.0);
    }

    @Test
    void rejectsWhatATid1500ReportCannotCarry() throws Exception {
        assertMessage("segmentNumber: must be within 1..65535 (segments are numbered from 1), found 0",
                report().setSegmentation(segSeries, segSop, 0));
        assertMessage("volumeMl: must be a finite number >= 0, found -1.0", report().setVolumeMl(-1));
        assertMessage("volumeMl: must be a finite number >= 0, found NaN", report().setVolumeMl(Double.NaN));
        assertMessage("huStatistics: mean must be finite and standard deviation finite and >= 0, found NaN and 3.0",
                report().setHuStatistics(Double.NaN, 3));
        assertMessage("segmentation: the SEG's Series and SOP Instance UIDs must be DICOM UIDs, found '" + segSeries
                + "' and '1.02'", report().setSegmentation(segSeries, "1.02", 1));
        assertMessage("sourceImages: the CT images the segmentation was made from are required, found none",
                report().setSourceImages(List.of()));
        assertMessage("algorithmVersion: must be 1 to 64 characters without '\\', found null", report().setAlgorithm("x", null));
        List<AttributeList> mixed = ct.headers();
        mixed.set(2, new TestCtSlices().header(2));
        StructuredReportException e = assertThrows(StructuredReportException.class, () -> report().setSourceImages(mixed).build());
        assertTrue(e.getMessage().startsWith("sourceImages[2]: (0x0020,0x000d) must equal the first source's"), e.getMessage());
    }

    private static void assertMessage(String expected, MeasurementReportWriter.Builder b) {
        assertEquals(expected, assertThrows(StructuredReportException.class, b::build).getMessage());
    }
}
