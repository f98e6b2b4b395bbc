package org.livernode.pipeline;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.TagFromName;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Finds the DICOM files of a folder and groups them by series, for the offline commands. */
public final class SeriesFiles {

    private SeriesFiles() {
    }

    /** Series Instance UID to its files (files that are not DICOM, or have no SOP Class UID, are left out); in folder-walk order. */
    public static Map<String, List<Path>> bySeries(Path folder) throws IOException {
        return bySeries(folder, new ArrayList<>());
    }

    /** As {@link #bySeries(Path)}, adding each file left out (not DICOM, no SOP Class UID) to {@code leftOut}. */
    public static Map<String, List<Path>> bySeries(Path folder, List<Path> leftOut) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new IOException(folder + " is not a folder");
        }
        Map<String, List<Path>> series = new LinkedHashMap<>();
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                AttributeList header = new AttributeList();
                try {
                    header.read(file.toFile(), TagFromName.PixelData);
                } catch (DicomException | IOException | RuntimeException e) {
                    leftOut.add(file);
                    continue; // not DICOM: a README, a DICOMDIR's neighbour, ...
                }
                // PixelMed reads some non-DICOM files (a README) as an empty list without complaint: no SOP Class, no image.
                if (Attribute.getSingleStringValueOrEmptyString(header, TagFromName.SOPClassUID).isBlank()) {
                    leftOut.add(file);
                    continue;
                }
                String uid = Attribute.getSingleStringValueOrEmptyString(header, TagFromName.SeriesInstanceUID).trim();
                series.computeIfAbsent(uid, k -> new ArrayList<>()).add(file);
            }
        }
        return series;
    }
}
