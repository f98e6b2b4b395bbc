package org.livernode.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import org.livernode.dicom.vocabulary.RemoteAe;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The node's one settings mapping: {@code livernode.*} in application.properties or LIVERNODE_* environment
 * variables. Values are checked when the application starts (AE titles, remote AEs), so a wrong setting stops the
 * node with a message naming it instead of failing a job later.
 */
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

    /**
     * Where calling AEs listen, {@code AET@host:port}, so a SEG can go back to the sender; parsed at start, so a
     * wrong entry stops the node with a message naming it.
     */
    Optional<List<@WithConverter(RemoteAeConverter.class) RemoteAe>> knownAes();

    /** One destination for every SEG ({@code AET@host:port}, e.g. the PACS) instead of the sender. */
    @WithConverter(RemoteAeConverter.class)
    Optional<RemoteAe> destination();

    Delivery delivery();

    Rejected rejected();

    Worker worker();

    Corrections corrections();

    Selection selection();

    Inference inference();

    Models models();

    Seg seg();

    Security security();

    Audit audit();

    Http http();

    /**
     * What a job sends to a destination without an entry in {@link #outputsFor()}, of {@code seg, sr, overlay}
     * ({@code livernode.outputs}). The SEG is always written and stored (the SR and the overlay are made from it and
     * the viewer shows it); the SR and the overlay series are written and stored when some destination gets them.
     */
    @WithDefault("seg")
    List<Output> outputs();

    /**
     * What one destination gets instead of {@code livernode.outputs}, keyed by its AE title (matched ignoring case,
     * as environment variables upper-case it): {@code livernode.outputs-for."PACS"=seg,sr},
     * {@code livernode.outputs-for.RIS=sr}. A job writes and stores every output that any destination gets, so a
     * resend to another destination finds it (pipeline.DestinationOutputs).
     */
    Map<@WithConverter(AeTitleConverter.class) String, List<Output>> outputsFor();

    Sr sr();

    Overlay overlay();

    /** The objects a job can send. */
    enum Output {
        /** The DICOM Segmentation. */
        SEG,
        /** The TID 1500 Measurement Report (Enhanced SR) with the liver volume and HU. */
        SR,
        /** One derived CT image per slice with the liver outline and volume burned in, for SEG-blind viewers. */
        OVERLAY
    }

    interface Dicom {
        @WithDefault("LIVERNODE")
        @WithConverter(AeTitleConverter.class)
        String aeTitle();

        @WithDefault("11112")
        int port();

        @WithDefault("0.0.0.0")
        String bindAddress();

        /** Calling AE titles allowed to associate, each {@code AET} or {@code AET@host}; empty allows all. */
        Optional<List<String>> allowedCallers();

        /** Below this many MiB of free space on the data directory, C-STORE answers A700 (out of resources). */
        @WithDefault("512")
        long minFreeDiskMb();

        /** Associations served at once; a further request is refused as "local limit exceeded" (transient). */
        @WithDefault("16")
        int maxAssociations();

        /** Associations one calling AE title at one host may hold at once; unset: only max-associations applies. */
        Optional<Integer> maxAssociationsPerCaller();

        /** ARTIM: how long a new connection may take to send its A-ASSOCIATE-RQ before it is closed. */
        @WithDefault("10s")
        Duration artimTimeout();

        /** How long an established association may stay silent between PDUs before it is aborted. */
        @WithDefault("60s")
        Duration idleTimeout();

        /** How long one PDU may take to arrive whole once it has begun (stops a peer trickling bytes). */
        @WithDefault("30s")
        Duration pduTimeout();

        Tls tls();
    }

    /**
     * DICOM TLS (dicom.tls.DicomTls, README "DICOM TLS"): the node's key and certificate, as a PKCS12 key store or
     * as PEM files; the TLS port opens only when one of them is set. Checked when the DICOM node starts.
     */
    interface Tls {
        /** The TLS port (2762 is IANA's dicom-tls); the same as livernode.dicom.port makes that one port TLS only. */
        @WithDefault("2762")
        int port();

        /** A PKCS12 file with the node's private key and certificate chain (one key entry). */
        Optional<Path> keyStore();

        Optional<String> keyStorePassword();

        /** Instead of a key store: the node's private key, PEM (PKCS#8, unencrypted)... */
        Optional<Path> key();

        /** ...and its certificate chain, PEM, the node's own certificate first. */
        Optional<Path> certificate();

        /**
         * The CA certificates (PEM, or a PKCS12 trust store) that callers' client certificates and TLS destinations'
         * certificates must chain to; unset, destinations are checked against the JDK's CAs and callers are not asked.
         */
        Optional<Path> trustStore();

        Optional<String> trustStorePassword();

        /** {@code required} or {@code none}; unset: required when a trust store is set. */
        Optional<ClientAuth> clientAuth();
    }

    /** Whether a caller on the TLS port must present a certificate that chains to the trust store. */
    enum ClientAuth {
        REQUIRED, NONE
    }

    interface Security {
        /** The user made at first start with every role. */
        @WithDefault("admin")
        String adminUser();

        /** Becomes the admin's password at start; unset: a random one is made at first start and printed once. */
        Optional<String> adminPassword();
    }

    interface Audit {
        /** The audit trail (JSON lines, appended); by default {@code DATA/audit/audit.jsonl}. */
        Optional<Path> file();
    }

    interface Http {
        /** Interface the HTTP port listens on (quarkus.http.host follows it). */
        @WithDefault("0.0.0.0")
        String bindAddress();
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

    /** What is segmented is decided by what the images are (pipeline.SeriesSelection); only the size is a setting. */
    interface Selection {
        /** A series with fewer axial CT slices than this is SKIPPED. */
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

        /**
         * The engine of the forward pass: {@code pytorch} (libtorch through DJL, on a GPU when DJL sees one) or
         * {@code onnxruntime} (ONNX Runtime on the CPU, the same folded network exported to it at load).
         */
        @WithDefault(org.livernode.model.InferenceEngine.DEFAULT_SETTING)
        org.livernode.model.InferenceEngine engine();

        /**
         * Liver probability at or above which a voxel is liver; unset, the model card's threshold (the one its
         * validation figures were measured with).
         */
        Optional<@WithConverter(ProbabilityConverter.class) Double> threshold();

        /**
         * Segment each CT slice as it arrives (README "Segmenting while receiving"), so a job is left with the slices
         * not yet done, the 3D clean-up, the SEG and its delivery.
         */
        @WithDefault("true")
        boolean onArrival();

        /** Slices whose masks segmented on arrival are kept for their job (32 KiB each at 512x512); beyond, the oldest go. */
        @WithDefault("4096")
        int onArrivalMasks();
    }

    /** The runtime model registry ({@code DATA/models/registry.json}) and its promotion gate (issue 16). */
    interface Models {
        /**
         * How much lower (per-case mean DSC) a candidate may score than the active model on a validation set and
         * still be promoted.
         */
        @WithDefault("0.005")
        @WithConverter(MarginConverter.class)
        double promotionMargin();

        /**
         * The LiTS data whose validation split the gate scores on ({@code lits-slices:PATH}, {@code lits:PATH} or a
         * bare PATH of slices); unset, the active model card's training data.
         */
        Optional<String> validationData();
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

    interface Sr {
        @WithDefault("902")
        int seriesNumber();

        @WithDefault("Liver volume report (livernode)")
        String seriesDescription();
    }

    interface Overlay {
        @WithDefault("903")
        int seriesNumber();

        /** Must say NOT FOR DIAGNOSIS (checked when the first overlay is written). */
        @WithDefault("NOT FOR DIAGNOSIS liver outline (livernode)")
        String seriesDescription();

        /** Window Center and Width (HU) the images open with. */
        @WithDefault("40")
        double windowCenter();

        @WithDefault("400")
        double windowWidth();
    }

    interface Delivery {
        /** C-STORE attempts per delivery before the job fails (it can be resent through the REST API). */
        @WithDefault("5")
        int attempts();

        @WithDefault("2s")
        Duration initialBackoff();

        @WithDefault("1m")
        Duration maxBackoff();

        /** How long the TCP connection to the destination may take before an attempt fails. */
        @WithDefault("5s")
        Duration connectTimeout();

        /**
         * How long the destination may send nothing while an answer is due (A-ASSOCIATE-AC, C-STORE-RSP) before the
         * attempt fails: a destination that accepts TCP and never answers fails an attempt in seconds.
         */
        @WithDefault("15s")
        Duration responseTimeout();
    }

    /** Bounds of what is kept of refused data in rejected/ (the oldest files go first). */
    interface Rejected {
        @WithDefault("1000")
        int maxFiles();

        @WithDefault("1024")
        long maxMb();

        @WithDefault("7d")
        Duration maxAge();
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

        /** Claims of one job (each a node that stopped mid-job, e.g. killed or out of memory) before it ends FAILED. */
        @WithDefault("3")
        int maxAttempts();
    }

    interface Corrections {
        /** How often Segmentations sent to the node are looked at as corrections of its SEGs (issue 16). */
        @WithDefault("5s")
        Duration checkInterval();
    }
}
