package org.livernode.dicom.tls;

import org.livernode.dicom.vocabulary.RemoteAe;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;

/** Puts TLS over an open TCP connection to a destination marked {@code ;tls} (DicomSender's one use of TLS). */
@FunctionalInterface
public interface TlsConnector {
    Socket secure(Socket plain, RemoteAe to, Duration handshakeTimeout) throws IOException;
}
