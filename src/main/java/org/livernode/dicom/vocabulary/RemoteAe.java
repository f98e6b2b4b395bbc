package org.livernode.dicom.vocabulary;

/**
 * A remote DICOM Application Entity: AE Title, host and port, written {@code AET@host:port} (an IPv6 host in
 * brackets: {@code PACS@[::1]:104}); {@code AET@host:port;tls} marks one the node reaches over DICOM TLS
 * (dicom.tls.DicomTls: the node's certificate, the destination's checked against the trust store).
 */
public record RemoteAe(String aeTitle, String host, int port, boolean tls) {
    /** The suffix that marks a TLS destination. */
    public static final String TLS_SUFFIX = ";tls";

    public RemoteAe {
        AeTitle.require("remote AE title", aeTitle);
        if (host == null || host.isBlank() || host.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("remote AE host: must be a host name or address without spaces, found '" + host + "'");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("remote AE port: must be within 1..65535, found " + port);
        }
    }

    /** A destination reached over plain TCP. */
    public RemoteAe(String aeTitle, String host, int port) {
        this(aeTitle, host, port, false);
    }

    /** Parses {@code AET@host:port} or {@code AET@host:port;tls}; the message of a failure names the part that is wrong. */
    public static RemoteAe parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("remote AE: expected AET@host:port, found '" + text + "'");
        }
        String s = text.trim();
        boolean tls = false;
        int semicolon = s.lastIndexOf(';');
        if (semicolon > s.lastIndexOf('@')) {
            String option = s.substring(semicolon);
            if (!option.equalsIgnoreCase(TLS_SUFFIX)) {
                throw new IllegalArgumentException("remote AE '" + text + "': the only option after the port is '"
                        + TLS_SUFFIX + "', found '" + option + "'");
            }
            tls = true;
            s = s.substring(0, semicolon).trim();
        }
        int at = s.lastIndexOf('@');
        if (at < 0) {
            throw new IllegalArgumentException("remote AE '" + text + "': expected AET@host:port, found no '@'");
        }
        String rest = s.substring(at + 1);
        int colon = rest.lastIndexOf(':');
        if (colon < 0 || (rest.startsWith("[") && colon < rest.indexOf(']'))) {
            throw new IllegalArgumentException("remote AE '" + text + "': expected AET@host:port, found no ':port'");
        }
        String host = rest.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        String portText = rest.substring(colon + 1);
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("remote AE '" + text + "': port must be a number within 1..65535, found '" + portText + "'");
        }
        return new RemoteAe(s.substring(0, at), host, port, tls);
    }

    @Override
    public String toString() {
        return aeTitle + "@" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + (tls ? TLS_SUFFIX : "");
    }
}
