package org.livernode.dicom;

import org.livernode.dicom.vocabulary.AeTitle;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The calling AE titles allowed to associate ({@code livernode.dicom.allowed-callers}): each entry is
 * {@code AET} (from any host) or {@code AET@host} (host name or address). An empty list allows everyone.
 */
public final class CallerPolicy {
    private record Entry(String aeTitle, List<InetAddress> hosts) {
    }

    private final List<Entry> entries;

    private CallerPolicy(List<Entry> entries) {
        this.entries = entries;
    }

    public static CallerPolicy allowAll() {
        return new CallerPolicy(List.of());
    }

    /** Parses the configured entries; host names are resolved once, here. */
    public static CallerPolicy of(List<String> configured) {
        List<Entry> entries = new ArrayList<>();
        for (String raw : configured) {
            String item = raw.trim();
            if (item.isEmpty()) {
                continue;
            }
            int at = item.lastIndexOf('@');
            String aet = at < 0 ? item : item.substring(0, at);
            AeTitle.require("livernode.dicom.allowed-callers ('" + item + "')", aet);
            List<InetAddress> hosts = null;
            if (at >= 0) {
                String host = item.substring(at + 1);
                try {
                    hosts = List.of(InetAddress.getAllByName(host));
                } catch (UnknownHostException e) {
                    throw new IllegalArgumentException("livernode.dicom.allowed-callers: unknown host '" + host
                            + "' in '" + item + "'", e);
                }
            }
            entries.add(new Entry(aet, hosts));
        }
        return new CallerPolicy(List.copyOf(entries));
    }

    public boolean allowsEveryone() {
        return entries.isEmpty();
    }

    /**
     * The rule for callers without an AE title (STOW-RS over HTTP): allowed when the list is empty or an
     * {@code AET@host} entry names this host; an entry without a host names no HTTP client.
     */
    public boolean allowsHost(InetAddress from) {
        return entries.isEmpty() || entries.stream().anyMatch(e -> e.hosts() != null && e.hosts().contains(from));
    }

    public boolean allows(String callingAeTitle, InetAddress from) {
        if (entries.isEmpty()) {
            return true;
        }
        for (Entry e : entries) {
            if (e.aeTitle().equals(callingAeTitle) && (e.hosts() == null || e.hosts().contains(from))) {
                return true;
            }
        }
        return false;
    }
}
