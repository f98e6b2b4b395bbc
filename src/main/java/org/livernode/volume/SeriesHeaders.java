package org.livernode.volume;

import java.util.ArrayList;
import java.util.List;

/**
 * The headers of a series' files, read but not yet judged: the selection looks at {@link #facts()}, then
 * {@link #toSeries(List)} builds the volume from the slices it kept.
 */
public final class SeriesHeaders {

    private final List<SliceHeader> slices;

    SeriesHeaders(List<SliceHeader> slices) {
        this.slices = List.copyOf(slices);
    }

    public int size() {
        return slices.size();
    }

    /** One entry per slice (per frame of an Enhanced CT file), in the order the files were given. */
    public List<ImageFacts> facts() {
        return slices.stream().map(s -> new ImageFacts(s.where(), s.sopClassUid, s.modality, s.imageType,
                s.orientation == null ? null : s.orientation.clone(), s.manufacturer,
                s.burnedInAnnotation)).toList();
    }

    /**
     * Slice k's pixels in HU (index into {@link #facts()}), after the rules one slice must meet on its own, before
     * the series is built: the segmentation on arrival decodes each slice as it comes.
     */
    public float[] sliceHu(int k) {
        SliceHeader s = slices.get(k);
        CtSeriesReader.checkSlice(s);
        return CtSeries.hu(s, CtSeries.storedValues(s));
    }

    public int rows(int k) {
        return slices.get(k).rows;
    }

    public int columns(int k) {
        return slices.get(k).columns;
    }

    /** The 1-based frame of an Enhanced CT file that entry k is, or 0 for a single-frame image. */
    public int frameNumber(int k) {
        return slices.get(k).frame;
    }

    /** Builds the series from every slice. */
    public CtSeries toSeries() {
        return CtSeriesReader.build(slices, List.of());
    }

    /**
     * Builds the series from the slices at {@code kept} (indices into {@link #facts()}); {@code notes} (e.g. what
     * the selection left out) are carried into {@link CtSeries#notes()}.
     */
    public CtSeries toSeries(List<Integer> kept, List<String> notes) {
        List<SliceHeader> chosen = new ArrayList<>(kept.size());
        for (int k : kept) {
            chosen.add(slices.get(k));
        }
        return CtSeriesReader.build(chosen, notes);
    }
}
