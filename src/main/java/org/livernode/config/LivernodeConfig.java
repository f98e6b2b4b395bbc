package org.livernode.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** The node's runtime settings: {@code livernode.*} in application.properties or LIVERNODE_* environment variables. */
@ConfigMapping(prefix = "livernode")
public interface LivernodeConfig {

    /** The installation directory (bundled model, demo sample); bin/livernode sets LIVERNODE_HOME. */
    @WithDefault(".")
    Path home();

    /** Where received instances, the embedded database and results live. */
    @WithDefault("./data")
    Path dataDir();

    Dicom dicom();

    Series series();

    Viewer viewer();

    interface Dicom {
        @WithDefault("LIVERNODE")
        String aeTitle();

        @WithDefault("11112")
        int port();

        @WithDefault("0.0.0.0")
        String bindAddress();

        /** Calling AE titles allowed to associate, each {@code AET} or {@code AET@host}; empty allows all. */
        Optional<java.util.List<String>> allowedCallers();

        /** Below this many MiB of free space on the data directory, C-STORE answers A700 (out of resources). */
        @WithDefault("512")
        long minFreeDiskMb();

        /** Associations served at once; a further request is refused as "local limit exceeded" (transient). */
        @WithDefault("16")
        int maxAssociations();
    }

    interface Series {
        /** A series is complete when none of its instances arrived for this long. */
        @WithDefault("10s")
        Duration quietPeriod();

        /** How often the node looks for series that became complete. */
        @WithDefault("1s")
        Duration checkInterval();
    }

    interface Viewer {
        /** The OHIF viewer's prebuilt files (its npm package's dist/), served at /viewer; bin/setup fetches them. */
        Path dir();
    }
}
