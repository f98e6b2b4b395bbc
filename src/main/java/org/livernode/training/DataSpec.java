package org.livernode.training;

import java.util.Map;
import java.util.function.Function;

/** Parses {@code --data scheme:argument} into a {@link LabelledSliceSource}. */
public final class DataSpec {

    /** Known schemes, one line each. */
    static final Map<String, Function<String, LabelledSliceSource>> SCHEMES = Map.of(
            LitsSlicesSource.SCHEME, LitsSlicesSource::new,
            LitsVolumesSource.SCHEME, LitsVolumesSource::new,
            LocalStoreSource.SCHEME, LocalStoreSource::new);

    private DataSpec() {
    }

    /** {@code scheme:argument}, or a bare {@code scheme} (e.g. {@code local}) for its default argument "". */
    public static LabelledSliceSource parse(String spec) {
        if (spec != null && SCHEMES.containsKey(spec)) {
            spec = spec + ":";
        }
        int colon = spec == null ? -1 : spec.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("--data must be scheme:argument with scheme one of " + SCHEMES.keySet()
                    + ", found " + spec);
        }
        String scheme = spec.substring(0, colon);
        Function<String, LabelledSliceSource> factory = SCHEMES.get(scheme);
        if (factory == null) {
            throw new IllegalArgumentException("--data scheme must be one of " + SCHEMES.keySet() + ", found " + scheme);
        }
        return factory.apply(spec.substring(colon + 1));
    }
}
