package org.livernode.dicom.vocabulary;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one DICOM vocabulary: UID syntax and generation, the AE title rule, lossy transfer syntaxes. */
class UidsTest {

    @Test
    void validUids() {
        assertTrue(Uids.isValid("1.2.840.10008.5.1.4.1.1.2"));
        assertTrue(Uids.isValid("2.25.0"));
        String fresh = Uids.newUid();
        assertTrue(fresh.startsWith("2.25.") && Uids.isValid(fresh), fresh);
        assertNotEquals(fresh, Uids.newUid());
    }

    @Test
    void invalidUids() {
        for (String bad : new String[]{"", "1", "1..2", "1.02", "1.2.", ".1.2", "1.2a", "../../etc", "1.2/3",
                "1.2.840\u0000", "1." + "1".repeat(63)}) {
            assertFalse(Uids.isValid(bad), bad);
        }
    }

    @Test
    void aNameGivesTheSameValidUidEveryTime() {
        String a = Uids.fromName("job 17 SEG instance");
        assertTrue(a.startsWith("2.25.") && Uids.isValid(a), a);
        assertEquals(a, Uids.fromName("job 17 SEG instance"));
        assertNotEquals(a, Uids.fromName("job 17 SEG series"));
    }

    @Test
    void aeTitleRule() {
        assertEquals("PACS 1", AeTitle.require("x", "PACS 1"));
        for (String bad : new String[]{null, "", "   ", "A".repeat(17), "A\\B", "A\u0000"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AeTitle.require("setting.x", bad));
            assertTrue(e.getMessage().startsWith("setting.x: an AE title must be 1 to 16"), e.getMessage());
        }
    }

    @Test
    void lossyTransferSyntaxes() {
        assertTrue(TransferSyntaxes.isLossy(TransferSyntaxes.JPEG_BASELINE));
        assertTrue(TransferSyntaxes.isLossy(TransferSyntaxes.JPEG2000));
        assertFalse(TransferSyntaxes.isLossy(TransferSyntaxes.JPEG2000_LOSSLESS));
        assertFalse(TransferSyntaxes.isLossy(TransferSyntaxes.EXPLICIT_VR_LE));
        assertFalse(TransferSyntaxes.isLossy(TransferSyntaxes.RLE_LOSSLESS));
    }
}
