package org.livernode.dicom;

import org.livernode.dicom.tls.TlsPeer;

/** Who is on the other end of an association, for logs, the index and the audit trail; {@code tls} null over plain TCP. */
record AssociationContext(int number, String callingAeTitle, String calledAeTitle, String callingHost, TlsPeer tls) {
    /** Log lines start with this, e.g. {@code assoc#3 STORESCU@127.0.0.1}. */
    String log() {
        return "assoc#" + number + " " + callingAeTitle + "@" + callingHost;
    }
}
