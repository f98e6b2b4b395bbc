package org.livernode.training;

import java.io.IOException;
import java.util.List;

/**
 * Where labelled slices come from, named on the command line as {@code scheme:argument}
 * (e.g. {@code lits-slices:/data/lits-slices}). A new kind of data is one implementation plus one entry in
 * {@link DataSpec#SCHEMES}.
 */
public interface LabelledSliceSource {

    /** A description for the model card (scheme, location, counts). */
    String describe();

    /** All slices, in a stable order (the split relies on case ids, not on order). */
    List<LabelledSlice> load() throws IOException;
}
