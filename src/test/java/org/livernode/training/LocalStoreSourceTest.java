package org.livernode.training;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.LongStringAttribute;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.ShortStringAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.dicom.UnsignedShortAttribute;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.livernode.dicom.seg.SegmentationWriter;
import org.livernode.dicom.synthetic.SyntheticCtSeries;
import org.livernode.store.InstanceStore;
import org.livernode.volume.CtSeries;
import org.livernode.volume.CtSeriesReader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code local:DATA}: a synthetic CT series laid out as the node stores it, with SEGs of its liver: the latest
 * SEG not made by livernode (a radiologist's correction) is the ground truth, livernode's own SEG is ignored.
 */
class LocalStoreSourceTest {

    @TempDir
    Path tmp;

    @Test
    void correctedSegOfAStoredSeriesIsTheGroundTruth() throws Exception {
        Path data = tmp.resolve("data");
        InstanceStore store = new InstanceStore(data);
        SyntheticCtSeries synthetic = SyntheticCtSeries.builder().setSliceCount(8).setRows(48).setColumns(64)
                .setPixelSpacing(6.0, 5.5).setSliceSpacing(20).setFileOrder(SyntheticCtSeries.FileOrder.SHUFFLED)
                .write(tmp.resolve("generated"));
        String study = synthetic.studyInstanceUid();
        storeSeries(store, synthetic);
        CtSeries ct = CtSeriesReader.read(synthetic.files());
        List<byte[]> truth = new ArrayList<>();
        List<byte[]> everything = new ArrayList<>();
        int withLiver = 0;
        for (int k = 0; k < ct.sliceCount(); k++) {
            int acquisition = 0;
            while (!synthetic.sopInstanceUid(acquisition).equals(ct.sopInstanceUids().get(k))) {
                acquisition++;
            }
            byte[] mask = synthetic.liverMask(acquisition);
            truth.add(mask);
            byte[] all = new byte[mask.length];
            Arrays.fill(all, (byte) 1);
            everything.add(all);
            withLiver += Arrays.equals(mask, new byte[mask.length]) ? 0 : 1;
        }
        assertTrue(withLiver > 0 && withLiver < ct.sliceCount(), "the phantom's liver must cover some slices, not all: " + withLiver);

        // livernode's own SEG (everything liver) and an older correction (everything liver) must lose against the
        // newest correction (the ground truth, empty frames omitted)
        writeSeg(store, study, ct, everything, null, LocalDateTime.now());
        writeSeg(store, study, ct, everything, "Hospital PACS", LocalDateTime.of(2020, 1, 1, 8, 0));
        writeSeg(store, study, ct, truth, "Hospital PACS", LocalDateTime.now());

        LocalStoreSource source = (LocalStoreSource) DataSpec.parse("local:" + data);
        List<LabelledSlice> slices = source.load();
        assertEquals(ct.sliceCount(), slices.size());
        for (int k = 0; k < slices.size(); k++) {
            LabelledSlice s = slices.get(k);
            assertEquals(study, s.caseId());
            assertEquals(48, s.rows());
            assertEquals(64, s.columns());
            assertEquals(6.0, s.rowSpacingMm(), 1e-6);
            assertEquals(5.5, s.columnSpacingMm(), 1e-6);
            assertArrayEquals(ct.sliceHu(k), s.hu(), "HU of slice " + k);
            assertArrayEquals(truth.get(k), s.liverMask(), "mask of slice " + k);
        }
        assertTrue(source.describe().contains("1 series, 8 slices"), source.describe());
    }

    @Test
    void onlyLivernodeSegsOrNoStoreIsAClearError() throws Exception {
        IOException noStore = assertThrows(IOException.class, () -> new LocalStoreSource(tmp.resolve("none").toString()).load());
        assertTrue(noStore.getMessage().contains("does not exist"), noStore.getMessage());

        Path data = tmp.resolve("data");
        InstanceStore store = new InstanceStore(data);
        SyntheticCtSeries synthetic = SyntheticCtSeries.builder().setSliceCount(3).setRows(32).setColumns(32)
                .write(tmp.resolve("generated"));
        storeSeries(store, synthetic);
        CtSeries ct = CtSeriesReader.read(synthetic.files());
        List<byte[]> masks = new ArrayList<>();
        for (int k = 0; k < ct.sliceCount(); k++) {
            masks.add(new byte[32 * 32]);
            masks.get(k)[k] = 1;
        }
        writeSeg(store, synthetic.studyInstanceUid(), ct, masks, null, LocalDateTime.now());
        IOException none = assertThrows(IOException.class, () -> new LocalStoreSource(data.toString()).load());
        assertTrue(none.getMessage().contains("no CT series with a ground-truth SEG"), none.getMessage());
    }

    @Test
    void liverSegmentIsFoundByCodeThenLabelElseOne() throws DicomException {
        assertEquals(3, org.livernode.dicom.seg.SegmentationReader.liverSegment(segments(new String[][] {
                {"1", "Spleen", "78961009"}, {"2", "liver (corrected)", "123"}, {"3", "Organ", "10200004"}})));
        assertEquals(2, org.livernode.dicom.seg.SegmentationReader.liverSegment(segments(new String[][] {
                {"1", "Spleen", "78961009"}, {"2", "LIVER corrected", "123"}})));
        assertEquals(1, org.livernode.dicom.seg.SegmentationReader.liverSegment(segments(new String[][] {{"1", "Organ", "123"}, {"2", "Other", "456"}})));
    }

    private static AttributeList segments(String[][] numberLabelCode) throws DicomException {
        AttributeList seg = new AttributeList();
        SequenceAttribute sequence = new SequenceAttribute(TagFromName.SegmentSequence);
        for (String[] s : numberLabelCode) {
            AttributeList item = new AttributeList();
            UnsignedShortAttribute number = new UnsignedShortAttribute(TagFromName.SegmentNumber);
            number.addValue(Integer.parseInt(s[0]));
            item.put(number);
            LongStringAttribute label = new LongStringAttribute(TagFromName.SegmentLabel);
            label.addValue(s[1]);
            item.put(label);
            AttributeList code = new AttributeList();
            ShortStringAttribute value = new ShortStringAttribute(TagFromName.CodeValue);
            value.addValue(s[2]);
            code.put(value);
            ShortStringAttribute scheme = new ShortStringAttribute(TagFromName.CodingSchemeDesignator);
            scheme.addValue("SCT");
            code.put(scheme);
            SequenceAttribute type = new SequenceAttribute(TagFromName.SegmentedPropertyTypeCodeSequence);
            type.addItem(code);
            item.put(type);
            sequence.addItem(item);
        }
        seg.put(sequence);
        return seg;
    }

    /** Every slice put in place by the store's own code (incoming/, then an atomic rename), as the node does. */
    private static void storeSeries(InstanceStore store, SyntheticCtSeries series) throws IOException {
        for (int k = 0; k < series.sliceCount(); k++) {
            store.storeProduced(series.file(k), series.studyInstanceUid(), series.seriesInstanceUid(), series.sopInstanceUid(k));
        }
    }

    /** A SEG of the series stored by the store like the node's own SEGs; manufacturer null = as livernode writes it. */
    private void writeSeg(InstanceStore store, String study, CtSeries ct, List<byte[]> masks, String manufacturer,
                          LocalDateTime when) throws IOException, DicomException {
        SegmentationWriter writer = SegmentationWriter.builder().setSourceImages(ct.headers()).setMasks(masks)
                .setAlgorithm(manufacturer == null ? "EAS U-Net" : "manual", "1")
                .optOmitEmptyFrames(true).optContentDateTime(when).build();
        AttributeList seg = writer.build();
        if (manufacturer != null) {
            LongStringAttribute m = new LongStringAttribute(TagFromName.Manufacturer);
            m.addValue(manufacturer);
            seg.put(m);
        }
        Path file = Files.createTempFile(tmp, "seg-", ".dcm");
        FileMetaInformation.addFileMetaInformation(seg, TransferSyntax.ExplicitVRLittleEndian, "TEST");
        seg.write(file.toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);
        store.storeProduced(file, study, writer.seriesInstanceUid(), writer.sopInstanceUid());
    }
}
