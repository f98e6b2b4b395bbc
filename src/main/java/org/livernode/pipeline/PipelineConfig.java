package org.livernode.pipeline;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Settings of the segmentation pipeline: {@code livernode.selection.*}, {@code livernode.inference.*}, {@code livernode.seg.*}. */
@ConfigMapping(prefix = "livernode")
public interface PipelineConfig {

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
        Optional<Path> modelDir();

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
}
