package org.livernode.pipeline;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Settings of the segmentation pipeline: which series are segmented, how, what the SEG looks like and where it
 * goes ({@code livernode.selection.*}, {@code livernode.inference.*}, {@code livernode.seg.*},
 * {@code livernode.known-aes}, {@code livernode.destination}, {@code livernode.delivery.*}, {@code livernode.worker.*}).
 */
@ConfigMapping(prefix = "livernode")
public interface PipelineConfig {

    /**
     * The installation directory ({@code LIVERNODE_HOME}, set by bin/livernode): the bundled model and samples are
     * found under it. Mapped here so that configuration validation knows the key.
     */
    @WithDefault(".")
    Path home();

    /** Where calling AEs listen, {@code AET@host:port}, so a SEG can go back to the sender. */
    Optional<List<String>> knownAes();

    /** One destination for every SEG ({@code AET@host:port}, e.g. the PACS) instead of the sender. */
    Optional<String> destination();

    Delivery delivery();

    Worker worker();

    Selection selection();

    Inference inference();

    Seg seg();

    interface Selection {
        @WithDefault("CT")
        String modality();

        /** Values the Image Type (0008,0008) of every instance must contain. */
        @WithDefault("ORIGINAL,PRIMARY,AXIAL")
        List<String> imageType();

        @WithDefault("10")
        int minSlices();
    }

    interface Inference {
        /** The model directory (with model-card.json); by default the bundled model. */
        Path modelDir();

        /** Average the predictions of the 8 flips/rotations of each slice (about 8x slower, about +1 Dice point). */
        @WithDefault("false")
        boolean testTimeAugmentation();

        /** Slices sent to the network at once; bounds memory for long series. */
        @WithDefault("8")
        int batchSize();

        /** Liver probability at or above which a voxel is liver. */
        @WithDefault("0.5")
        double threshold();
    }

    interface Seg {
        /** Leave frames without liver out of the SEG (smaller files; some viewers prefer every frame). */
        @WithDefault("false")
        boolean omitEmptyFrames();

        @WithDefault("901")
        int seriesNumber();

        @WithDefault("Liver segmentation (livernode)")
        String seriesDescription();
    }

    interface Delivery {
        /** C-STORE attempts per delivery before the job fails (it can be resent through the REST API). */
        @WithDefault("5")
        int attempts();

        @WithDefault("2s")
        Duration initialBackoff();

        @WithDefault("1m")
        Duration maxBackoff();
    }

    interface Worker {
        /** Run QUEUED jobs in this process (turn off on replicas that should only receive). */
        @WithDefault("true")
        boolean enabled();

        /** How often an idle worker looks for a QUEUED job. */
        @WithDefault("2s")
        Duration pollInterval();

        /** A RUNNING job whose lease is not renewed for this long is taken over by another replica. */
        @WithDefault("2m")
        Duration lease();
    }
}
