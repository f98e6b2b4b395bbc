package org.livernode.dicom.codec;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.TagFromName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.livernode.dicom.ExternalTool;
import org.livernode.testing.CtHeaderZoo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The transfer syntaxes decoded by dcmtk's tools, on the real files of the header zoo: the node's pixels equal what an
 * independent decoder (GDCM's gdcmconv) makes of the same file, and JPEG-LS lossless gives back the uncompressed
 * original of the same slice bit for bit. The header the node keeps is the stored file's (its transfer syntax).
 */
class PixelDecodingTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "B03-cornerstoneWADO/CTImage.dcm_JPEGProcess1TransferSyntax_1.2.840.10008.1.2.4.50.dcm",
            "B03-cornerstoneWADO/CTImage.dcm_JPEGProcess2_4TransferSyntax_1.2.840.10008.1.2.4.51.dcm",
            "B03-cornerstoneWADO/CTImage.dcm_JPEGProcess6_8TransferSyntax_1.2.840.10008.1.2.4.53.dcm",
            "B03-cornerstoneWADO/CTImage.dcm_JPEGProcess10_12TransferSyntax_1.2.840.10008.1.2.4.55.dcm",
            "B03-cornerstoneWADO/CTImage.dcm_JPEGLSLosslessTransferSyntax_1.2.840.10008.1.2.4.80.dcm",
            "B03-cornerstoneWADO/CTImage.dcm_JPEGLSLossyTransferSyntax_1.2.840.10008.1.2.4.81.dcm",
            "B04-dicomParser/multi-frame/CT0012.fragmented_no_bot_jpeg_baseline.51.dcm",
            "B04-dicomParser/multi-frame/CT0012.fragmented_no_bot_jpeg_ls.80.dcm",
            "B04-dicomParser/multi-frame/CT0012.not_fragmented_bot_jpeg_ls.80.dcm"})
    void decodesAsAnIndependentDecoderDoes(String name) throws Exception {
        Path file = CtHeaderZoo.DIR.resolve(name);
        assumeTrue(Files.isRegularFile(file), "real data absent: " + file.toAbsolutePath() + " (skipped)");
        String ts = transferSyntax(file);
        assertTrue(PixelDecoding.decodable(ts), ts + " is decodable here (dcmtk is installed)");

        AttributeList decoded = PixelDecoding.readDecoded(file, ts);

        assertEquals(ts, Attribute.getSingleStringValueOrEmptyString(decoded, TagFromName.TransferSyntaxUID),
                "the header is the stored file's");
        int[] ours = values(decoded.get(TagFromName.PixelData));
        int[] gdcm = gdcmDecoded(file);
        if (gdcm != null) {
            assertArrayEquals(gdcm, ours, "the same pixels as GDCM's gdcmconv --raw");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "B03-cornerstoneWADO/CTImage.dcm_JPEGLSLosslessTransferSyntax_1.2.840.10008.1.2.4.80.dcm"
                    + "|B03-cornerstoneWADO/CTImage.dcm_LittleEndianExplicitTransferSyntax_1.2.840.10008.1.2.1.dcm",
            "B04-dicomParser/multi-frame/CT0012.fragmented_no_bot_jpeg_ls.80.dcm"
                    + "|B04-dicomParser/multi-frame/CT0012.explicit_little_endian.dcm",
            "B04-dicomParser/multi-frame/CT0012.not_fragmented_no_bot_jpeg_ls.80.dcm"
                    + "|B04-dicomParser/multi-frame/CT0012.explicit_little_endian.dcm"})
    void jpegLsLosslessGivesBackTheUncompressedOriginal(String pair) throws Exception {
        Path file = CtHeaderZoo.DIR.resolve(pair.substring(0, pair.indexOf('|')));
        Path original = CtHeaderZoo.DIR.resolve(pair.substring(pair.indexOf('|') + 1));
        assumeTrue(Files.isRegularFile(file) && Files.isRegularFile(original), "real data absent (skipped)");
        short[] ours = PixelDecoding.readDecoded(file, transferSyntax(file)).get(TagFromName.PixelData).getShortValues();
        AttributeList plain = new AttributeList();
        plain.read(original.toFile());
        assertArrayEquals(plain.get(TagFromName.PixelData).getShortValues(), ours);
    }

    /** Pixel Data as bytes, little endian, whether it was read as words (OW) or bytes (OB). */
    private static int[] values(Attribute pixels) throws Exception {
        if (pixels instanceof OtherWordAttribute) {
            short[] words = pixels.getShortValues();
            return java.util.stream.IntStream.range(0, 2 * words.length)
                    .map(i -> (words[i / 2] >>> (8 * (i % 2))) & 0xFF).toArray();
        }
        byte[] bytes = pixels.getByteValues();
        return java.util.stream.IntStream.range(0, bytes.length).map(i -> bytes[i] & 0xFF).toArray();
    }

    private static String transferSyntax(Path file) throws Exception {
        AttributeList meta = new AttributeList();
        meta.read(file.toString(), TagFromName.PixelData);
        return Attribute.getSingleStringValueOrEmptyString(meta, TagFromName.TransferSyntaxUID);
    }

    /** GDCM's decode of the file, or null where gdcmconv is absent or refuses it (fragmented JPEG-LS frames). */
    private static int[] gdcmDecoded(Path file) throws Exception {
        Path out = Files.createTempFile("gdcm-", ".dcm");
        try {
            ExternalTool.Result r;
            try {
                r = ExternalTool.run(List.of("gdcmconv", "--raw", file.toString(), out.toString()), 60);
            } catch (java.io.IOException notInstalled) {
                return null;
            }
            if (r.exitCode() != 0) {
                return null;
            }
            AttributeList l = new AttributeList();
            l.read(out.toFile());
            return values(l.get(TagFromName.PixelData));
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
