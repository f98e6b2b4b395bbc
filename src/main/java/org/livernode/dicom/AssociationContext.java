package org.livernode.dicom;

/** Who is on the other end of an association, for logs and the index. */
record AssociationContext(int number, String callingAeTitle, String calledAeTitle, String callingHost) {
    /** Log lines start with this, e.g. {@code assoc#3 STORESCU@127.0.0.1}. */
    String log() {
        return "assoc#" + number + " " + callingAeTitle + "@" + callingHost;
    }
}
