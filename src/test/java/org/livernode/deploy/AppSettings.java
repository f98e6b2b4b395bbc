package org.livernode.deploy;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The application's settings as the deployment files must know them, read from the sources (not restated):
 * every key of {@code application.properties} and of each {@code @ConfigMapping} interface under src/main/java,
 * with its default, plus the HTTP paths Quarkus serves health and metrics on.
 */
final class AppSettings {

    /** Quarkus' own keys the deployment sets that the application does not list. */
    private static final Set<String> QUARKUS_OWN_KEYS = Set.of("quarkus.profile", "quarkus.datasource.postgresql.password");

    private static final Pattern MAPPING = Pattern.compile("@ConfigMapping\\(\\s*prefix\\s*=\\s*\"([^\"]+)\"[^)]*\\)\\s*(?:public\\s+)?interface\\s+(\\w+)");
    private static final Pattern INTERFACE = Pattern.compile("interface\\s+(\\w+)[^{]*\\{");
    private static final Pattern METHOD = Pattern.compile(
            "((?:@\\w+(?:\\([^)]*\\))?\\s*)*)([\\w.]+(?:<[\\w.<>?, ]+>)?)\\s+(\\w+)\\(\\)\\s*;");
    private static final Pattern WITH_DEFAULT = Pattern.compile("@WithDefault\\(\"([^\"]*)\"\\)");
    private static final Pattern WITH_NAME = Pattern.compile("@WithName\\(\"([^\"]*)\"\\)");

    private final Map<String, Optional<String>> defaults;

    private AppSettings(Map<String, Optional<String>> defaults) {
        this.defaults = defaults;
    }

    static AppSettings read(Path repository) {
        Map<String, Optional<String>> keys = new TreeMap<>();
        try (Stream<Path> sources = Files.walk(repository.resolve("src/main/java"))) {
            for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                String text = Files.readString(source);
                Matcher mapping = MAPPING.matcher(text);
                while (mapping.find()) {
                    Map<String, String> bodies = interfaceBodies(text);
                    collect(bodies, mapping.group(2), mapping.group(1), keys);
                }
            }
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(repository.resolve("src/main/resources/application.properties"))) {
                properties.load(reader);
            }
            for (String name : properties.stringPropertyNames()) {
                String key = name.startsWith("%") ? name.substring(name.indexOf('.') + 1) : name;
                if (name.startsWith("%")) {
                    keys.putIfAbsent(key, Optional.empty());
                } else {
                    keys.put(key, Optional.of(properties.getProperty(name)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new AppSettings(keys);
    }

    /** Depth-0 text of each interface declared in a source file, by simple name. */
    private static Map<String, String> interfaceBodies(String text) {
        String code = text.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("//[^\n]*", " ");
        Map<String, String> bodies = new HashMap<>();
        Matcher m = INTERFACE.matcher(code);
        while (m.find()) {
            StringBuilder own = new StringBuilder();
            int depth = 1;
            for (int i = m.end(); i < code.length() && depth > 0; i++) {
                char c = code.charAt(i);
                if (c == '{') {
                    depth++;
                } else if (c == '}') {
                    depth--;
                } else if (depth == 1) {
                    own.append(c);
                }
            }
            bodies.put(m.group(1), own.toString());
        }
        return bodies;
    }

    private static void collect(Map<String, String> bodies, String type, String prefix, Map<String, Optional<String>> keys) {
        Matcher m = METHOD.matcher(bodies.get(type));
        while (m.find()) {
            String annotations = m.group(1);
            Matcher named = WITH_NAME.matcher(annotations);
            String key = prefix + "." + (named.find() ? named.group(1) : kebab(m.group(3)));
            String returned = m.group(2).replaceAll("^(Optional<)(.*)>$", "$2");
            if (bodies.containsKey(returned)) {
                collect(bodies, returned, key, keys);
            } else {
                Matcher value = WITH_DEFAULT.matcher(annotations);
                keys.put(key, value.find() ? Optional.of(value.group(1)) : Optional.empty());
            }
        }
    }

    static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    /** The environment-variable form MicroProfile Config maps to a key: livernode.dicom.ae-title -> LIVERNODE_DICOM_AE_TITLE. */
    static String envName(String key) {
        return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    Set<String> keys() {
        return defaults.keySet();
    }

    /** The key whose environment form is {@code env}, among the application's keys and Quarkus' own that the chart sets. */
    Optional<String> keyForEnv(String env) {
        return Stream.concat(defaults.keySet().stream(), QUARKUS_OWN_KEYS.stream())
                .filter(key -> envName(key).equals(env)).findFirst();
    }

    String defaultOf(String key) {
        Optional<String> value = defaults.get(key);
        if (value == null || value.isEmpty()) {
            throw new AssertionError("the application has no default for " + key + "; keys: " + defaults.keySet());
        }
        return value.get();
    }

    int httpPort() {
        return Integer.parseInt(defaultOf("quarkus.http.port"));
    }

    int dicomPort() {
        return Integer.parseInt(defaultOf("livernode.dicom.port"));
    }

    int dicomTlsPort() {
        return Integer.parseInt(defaultOf("livernode.dicom.tls.port"));
    }

    /** Quarkus SmallRye Health's paths, with Quarkus' defaults unless application.properties changes them. */
    String healthPath(String probe) {
        return nonApplicationPath(orDefault("quarkus.smallrye-health.root-path", "health") + "/"
                + orDefault("quarkus.smallrye-health." + probe + "-path", probe.equals("liveness") ? "live"
                : probe.equals("readiness") ? "ready" : "started"));
    }

    String metricsPath() {
        return nonApplicationPath(orDefault("quarkus.micrometer.export.prometheus.path", "metrics"));
    }

    private String nonApplicationPath(String path) {
        return "/" + orDefault("quarkus.http.non-application-root-path", "q") + "/" + path;
    }

    private String orDefault(String key, String quarkusDefault) {
        Optional<String> value = defaults.get(key);
        return value == null ? quarkusDefault : value.orElse(quarkusDefault);
    }
}
