package org.livernode.pipeline;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.livernode.config.LivernodeConfig;
import org.livernode.dicom.DicomSender;
import org.livernode.dicom.vocabulary.RemoteAe;
import org.livernode.dicom.SendResult;
import org.livernode.dicom.tls.DicomTls;
import org.livernode.security.AuditTrail;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a SEG goes and how it gets there: to {@code livernode.destination} when set, otherwise back to the
 * AE that sent the CT, found in {@code livernode.known-aes}; one C-STORE attempt (the queue retries, {@link DeliveryStep}).
 */
@ApplicationScoped
public class SegDelivery {

    @Inject
    LivernodeConfig config;
    @Inject
    AuditTrail audit;
    @Inject
    DicomTls tls;

    /** Known AEs added at run time (the demo's stand-in PACS), looked at before livernode.known-aes. */
    private final Map<String, RemoteAe> addedAes = new ConcurrentHashMap<>();

    public void addKnownAe(RemoteAe ae) {
        addedAes.put(ae.aeTitle().trim().toUpperCase(Locale.ROOT), ae);
    }

    /** The destination for a series sent by {@code callingAeTitle}, or empty when none is configured. */
    public Optional<RemoteAe> destinationFor(String callingAeTitle) {
        if (config.destination().isPresent()) {
            return config.destination();
        }
        if (callingAeTitle == null) {
            return Optional.empty();
        }
        RemoteAe added = addedAes.get(callingAeTitle.trim().toUpperCase(Locale.ROOT));
        if (added != null) {
            return Optional.of(added);
        }
        for (RemoteAe ae : config.knownAes().orElse(List.of())) {
            if (ae.aeTitle().trim().equalsIgnoreCase(callingAeTitle.trim())) {
                return Optional.of(ae);
            }
        }
        return Optional.empty();
    }

    /** Why {@link #destinationFor} found nothing, in the words of the settings a user would change. */
    public String noDestinationReason(String callingAeTitle) {
        return "no destination for the SEG: livernode.destination is not set and the calling AE title '"
                + (callingAeTitle == null ? "" : callingAeTitle.toUpperCase(Locale.ROOT))
                + "' is not in livernode.known-aes (AET@host:port,...)";
    }

    /** One attempt over one Association, bounded by the connect and response timeouts. */
    public SendResult send(RemoteAe destination, List<Path> files) {
        LivernodeConfig.Delivery delivery = config.delivery();
        SendResult result = DicomSender.builder()
                .setCallingAeTitle(config.dicom().aeTitle())
                .setConnectTimeout(delivery.connectTimeout())
                .setResponseTimeout(delivery.responseTimeout())
                .setTls(tls)
                .build()
                .send(destination, files);
        String[] studyAndPatient = studyAndPatient(files.get(0));
        long delivered = result.files().stream().filter(SendResult.FileStatus::delivered).count();
        audit.exported(destination.aeTitle(), destination.host() + ":" + destination.port(), studyAndPatient[0],
                studyAndPatient[1], (int) delivered, result.allDelivered(),
                result.allDelivered() ? null : result.failed().get(0).lastError());
        return result;
    }

    /** The outputs' Study Instance UID and Patient ID for the audit trail (read up to Pixel Data only). */
    private static String[] studyAndPatient(Path output) {
        try {
            AttributeList list = new AttributeList();
            list.read(output.toString(), TagFromName.PixelData);
            return new String[]{Attribute.getSingleStringValueOrNull(list, TagFromName.StudyInstanceUID),
                    Attribute.getSingleStringValueOrNull(list, TagFromName.PatientID)};
        } catch (Exception e) {
            return new String[]{null, null};
        }
    }
}
