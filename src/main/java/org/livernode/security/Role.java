package org.livernode.security;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** What a user may do: {@code viewer} reads, {@code uploader} stores by STOW-RS, {@code admin} resends and manages. */
public enum Role {
    VIEWER, UPLOADER, ADMIN;

    /** The role as it is written in settings, tokens and the user table. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role of(String id) {
        for (Role r : values()) {
            if (r.id().equals(id)) {
                return r;
            }
        }
        throw new IllegalArgumentException("role must be one of " + Arrays.stream(values()).map(Role::id).toList()
                + ", found '" + id + "'");
    }

    public static List<String> all() {
        return Arrays.stream(values()).map(Role::id).toList();
    }
}
