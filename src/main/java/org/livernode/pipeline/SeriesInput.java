package org.livernode.pipeline;

import org.livernode.volume.CtSeries;
import org.livernode.volume.CtSeriesReader;
import org.livernode.volume.SeriesHeaders;
import org.livernode.volume.VolumeException;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The one way from a series' files to what is segmented, for the node's jobs and the {@code segment} command alike:
 * read every header, let {@link SeriesSelection} choose the images, build the {@link CtSeries} from them.
 */
public final class SeriesInput {

    private SeriesInput() {
    }

    /** The series to segment, or why none is (the series is then not segmented: SKIPPED, not FAILED). */
    public record Prepared(CtSeries series, Optional<String> refusal) {
    }

    /**
     * @throws VolumeException when a file cannot be read or the chosen slices do not form one series (the reason
     *                         names the file and the value found)
     */
    public static Prepared prepare(List<Path> files, SeriesSelection selection) {
        SeriesHeaders headers = CtSeriesReader.readHeaders(files);
        SeriesSelection.Decision decision = selection.select(headers.facts());
        if (decision.refused()) {
            return new Prepared(null, decision.refusal());
        }
        return new Prepared(headers.toSeries(decision.kept(), decision.notes()), Optional.empty());
    }
}
