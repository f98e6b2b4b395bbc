package org.livernode.security;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/** A user who signs in with a password (HTTP Basic or the login form); only the bcrypt hash is kept. */
@Entity
@Table(name = "node_user")
public class NodeUser {
    @Id
    @Column(name = "name", length = 64)
    public String name;

    @Column(name = "password_hash", length = 100, nullable = false)
    public String passwordHash;

    /** Comma-separated {@link Role} names. */
    @Column(name = "roles", length = 64, nullable = false)
    public String roles;

    @Column(name = "created", nullable = false)
    public Instant created;

    public Set<String> roleSet() {
        return Arrays.stream(roles.split(",")).map(String::trim).filter(r -> !r.isEmpty()).collect(Collectors.toSet());
    }
}
