package org.livernode.security;

import io.quarkus.elytron.security.common.BcryptUtil;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.hibernate.Session;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/** The node's password users (table {@code node_user}): passwords are kept as bcrypt hashes only. */
@ApplicationScoped
public class UserStore {
    /** bcrypt's own limit: it reads at most 72 bytes of a password. */
    private static final int MAX_PASSWORD_BYTES = 72;
    private static final int MIN_PASSWORD_LENGTH = 12;

    @Inject
    Session session;

    /** The user's roles when the password matches, else empty. */
    @Transactional
    public Optional<NodeUser> verify(String name, char[] password) {
        NodeUser user = session.find(NodeUser.class, name);
        if (user == null || !BcryptUtil.matches(new String(password), user.passwordHash)) {
            return Optional.empty();
        }
        return Optional.of(user);
    }

    /** Creates the user or sets its password and roles; checks both and names the value that breaks a rule. */
    @Transactional
    public NodeUser put(String name, String password, Collection<String> roles) {
        requireName(name);
        requirePassword(password);
        TreeSet<String> checked = new TreeSet<>();
        for (String r : roles) {
            checked.add(Role.of(r.trim()).id());
        }
        if (checked.isEmpty()) {
            throw new IllegalArgumentException("roles must name at least one of " + Role.all() + ", found none");
        }
        NodeUser user = session.find(NodeUser.class, name);
        if (user == null) {
            user = new NodeUser();
            user.name = name;
            user.created = Instant.now();
            user.passwordHash = BcryptUtil.bcryptHash(password);
            user.roles = String.join(",", checked);
            session.persist(user);
        } else {
            user.passwordHash = BcryptUtil.bcryptHash(password);
            user.roles = String.join(",", checked);
        }
        return user;
    }

    @Transactional
    public boolean delete(String name) {
        NodeUser user = session.find(NodeUser.class, name);
        if (user == null) {
            return false;
        }
        session.remove(user);
        return true;
    }

    @Transactional
    public List<NodeUser> all() {
        return session.createQuery("from NodeUser u order by u.name", NodeUser.class).getResultList();
    }

    @Transactional
    public long count() {
        return session.createQuery("select count(u) from NodeUser u", Long.class).getSingleResult();
    }

    @Transactional
    public Optional<NodeUser> find(String name) {
        return Optional.ofNullable(session.find(NodeUser.class, name));
    }

    @Transactional
    public boolean exists(String name) {
        return session.find(NodeUser.class, name) != null;
    }

    static void requireName(String name) {
        if (name == null || !name.matches("[A-Za-z0-9._@-]{1,64}")) {
            throw new IllegalArgumentException("user name must be 1 to 64 of A-Z a-z 0-9 . _ @ -, found '" + name + "'");
        }
    }

    static void requirePassword(String password) {
        if (password == null || password.length() < MIN_PASSWORD_LENGTH) {
            throw new IllegalArgumentException("password must have at least " + MIN_PASSWORD_LENGTH + " characters, found "
                    + (password == null ? 0 : password.length()));
        }
        if (password.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
            throw new IllegalArgumentException("password must be at most " + MAX_PASSWORD_BYTES + " bytes (bcrypt's limit)");
        }
    }
}
