package org.livernode.deploy;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The images cannot be built here (no Docker engine), so their Dockerfiles are read and held to what the project
 * installs and runs elsewhere: .ci/install-deps' Debian packages, the Java release in the pom, the launcher, the
 * application's ports and readiness path.
 */
class DockerfileSyncTest {

    private static final Path REPOSITORY = Path.of("").toAbsolutePath();
    /** Packages only an image needs, not a developer machine. */
    private static final Set<String> IMAGE_ONLY = Set.of(
            "curl",            // HEALTHCHECK
            "ca-certificates"  // TLS to a PostgreSQL server or a PACS over TLS
    );
    private static final Pattern APT_INSTALL = Pattern.compile("apt-get\\s+install\\s+([^;&|]*)");
    private static final Pattern PKGS = Pattern.compile("(?m)^PKGS=\"([^\"]+)\"");
    private static final Pattern JDK = Pattern.compile("openjdk-(\\d+)-jdk(-headless)?");

    private static Set<String> installDeps;
    private static AppSettings app;

    @BeforeAll
    static void read() throws IOException {
        Matcher pkgs = PKGS.matcher(Files.readString(REPOSITORY.resolve(".ci/install-deps")));
        assertTrue(pkgs.find(), ".ci/install-deps has no PKGS=\"...\" line");
        installDeps = new LinkedHashSet<>(List.of(pkgs.group(1).trim().split("\\s+")));
        app = AppSettings.read(REPOSITORY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker/Dockerfile", "docker/Dockerfile.gpu"})
    void buildStageInstallsWhatADeveloperMachineHas(String dockerfile) throws IOException {
        List<String> build = stages(dockerfile).get(0);
        assertTrue(build.get(0).matches("FROM debian:bookworm AS build"), "build stage on Debian bookworm: " + build.get(0));
        assertTrue(build.stream().anyMatch(i -> i.startsWith("RUN .ci/install-deps")), "build stage runs .ci/install-deps");
        assertTrue(build.stream().anyMatch(i -> i.startsWith("RUN ") && i.contains("bin/setup")), "build stage runs bin/setup");
        assertTrue(installDeps.containsAll(aptPackages(build)), "build stage packages outside .ci/install-deps: " + aptPackages(build));
        assertTrue(build.stream().anyMatch(i -> i.contains("docker/prepare-djl-cache.sh target/quarkus-app")),
                "build stage unpacks libtorch into the image's DJL cache");
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker/Dockerfile", "docker/Dockerfile.gpu"})
    void runtimeStageHasTheJreAndJemallocOfTheBuild(String dockerfile) throws IOException {
        List<List<String>> stages = stages(dockerfile);
        Set<String> runtime = aptPackages(stages.get(stages.size() - 1));
        String jdk = installDeps.stream().filter(p -> JDK.matcher(p).matches()).findFirst()
                .orElseThrow(() -> new AssertionError("no openjdk-N-jdk in .ci/install-deps: " + installDeps));
        Matcher release = JDK.matcher(jdk);
        assertTrue(release.matches());
        assertEquals(pomProperty("maven.compiler.release"), release.group(1), "the JDK in .ci/install-deps is the pom's release");
        String jre = "openjdk-" + release.group(1) + "-jre-headless";
        assertTrue(runtime.contains(jre), dockerfile + " runs on " + jre + ": " + runtime);
        assertTrue(installDeps.contains("libjemalloc2") && runtime.contains("libjemalloc2"),
                "bin/livernode preloads jemalloc: libjemalloc2 in .ci/install-deps and the image");
        Set<String> unexplained = new TreeSet<>(runtime);
        unexplained.removeAll(installDeps);
        unexplained.remove(jre);
        unexplained.removeAll(IMAGE_ONLY);
        assertEquals(Set.of(), unexplained, dockerfile + ": runtime packages neither in .ci/install-deps nor image-only");
    }

    @Test
    void gpuImageInstallsTheSamePackagesAsTheCpuImage() throws IOException {
        List<List<String>> cpu = stages("docker/Dockerfile");
        List<List<String>> gpu = stages("docker/Dockerfile.gpu");
        assertEquals(aptPackages(cpu.get(cpu.size() - 1)), aptPackages(gpu.get(gpu.size() - 1)));
        assertTrue(gpu.get(0).stream().anyMatch(i -> i.contains("mvn") && i.contains("-Pgpu")), "GPU build uses the gpu profile");
        // The CUDA of the base image is the one libtorch was built for: profile gpu's flavor cuXYZ -> nvidia/cuda:X.Y.Z.
        Matcher flavor = Pattern.compile("(?s)<id>gpu</id>.*?<libtorch.flavor>cu(\\d+)(\\d)</libtorch.flavor>")
                .matcher(Files.readString(REPOSITORY.resolve("pom.xml")));
        assertTrue(flavor.find(), "pom.xml: profile gpu sets libtorch.flavor=cuXYZ");
        String cuda = "FROM nvidia/cuda:" + flavor.group(1) + "." + flavor.group(2) + ".";
        assertTrue(gpu.get(gpu.size() - 1).get(0).startsWith(cuda), cuda + " expected: " + gpu.get(gpu.size() - 1).get(0));
    }

    @Test
    void launcherPreloadsTheJemallocThatLibjemalloc2Installs() throws IOException, InterruptedException {
        Path dpkg = Path.of("/usr/bin/dpkg");
        Assumptions.assumeTrue(Files.isExecutable(dpkg), "not a Debian-family machine: no dpkg to ask");
        Process list = new ProcessBuilder(dpkg.toString(), "-L", "libjemalloc2").redirectErrorStream(true).start();
        String files = new String(list.getInputStream().readAllBytes());
        Assumptions.assumeTrue(list.waitFor() == 0, "libjemalloc2 is not installed here: " + files.trim());
        String launcher = Files.readString(REPOSITORY.resolve("bin/livernode"));
        Matcher paths = Pattern.compile("/usr/lib/[\\w-]+/libjemalloc\\.so\\.2").matcher(launcher);
        List<String> preloaded = new ArrayList<>();
        while (paths.find()) {
            preloaded.add(paths.group());
        }
        assertTrue(preloaded.stream().anyMatch(p -> files.lines().anyMatch(p::equals)),
                "bin/livernode preloads " + preloaded + " but libjemalloc2 installs " + files.lines().filter(l -> l.contains(".so")).toList());
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker/Dockerfile", "docker/Dockerfile.gpu"})
    void runtimeStageServesTheApplicationsPortsAsANonRootUser(String dockerfile) throws IOException {
        List<List<String>> stages = stages(dockerfile);
        List<String> runtime = stages.get(stages.size() - 1);
        assertEquals("EXPOSE " + app.dicomPort() + " " + app.dicomTlsPort() + " " + app.httpPort(), instruction(runtime, "EXPOSE"));
        assertTrue(instruction(runtime, "HEALTHCHECK").contains(":${QUARKUS_HTTP_PORT:-" + app.httpPort() + "}"
                + app.healthPath("readiness")), instruction(runtime, "HEALTHCHECK"));
        assertTrue(instruction(runtime, "USER").matches("USER [1-9][0-9]*:[1-9][0-9]*"), "numeric non-root user, so "
                + "Kubernetes can check runAsNonRoot: " + instruction(runtime, "USER"));
        assertEquals("VOLUME /data", instruction(runtime, "VOLUME"));
        String env = instruction(runtime, "ENV");
        assertTrue(env.contains(AppSettings.envName("livernode.data-dir") + "=/data"), env);
        assertTrue(env.contains("DJL_CACHE_DIR=/opt/livernode/djl-cache"), env);
        assertEquals("ENTRYPOINT [\"/opt/livernode/bin/livernode\"]", instruction(runtime, "ENTRYPOINT"));
        assertEquals("CMD [\"serve\"]", instruction(runtime, "CMD"));
        assertTrue(runtime.contains("COPY --from=build /src/bin/livernode bin/livernode"), "the launcher");
        assertTrue(runtime.contains("COPY --from=build /opt/livernode/djl-cache djl-cache"), "the unpacked libtorch");
        assertTrue(runtime.contains("COPY --from=build /src/viewer/ohif viewer/ohif"),
                "the OHIF viewer at ${livernode.home}/viewer/ohif, where livernode.viewer.dir points by default");
    }

    @Test
    void dockerignoreKeepsWhatTheBuildNeeds() throws IOException {
        List<String> ignored = Files.readAllLines(REPOSITORY.resolve(".dockerignore")).stream()
                .map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).map(l -> l.replaceAll("/$", "")).toList();
        for (String needed : List.of("pom.xml", "src", "bin", ".ci", "docker", "models", "viewer")) {
            assertFalse(ignored.contains(needed), ".dockerignore drops " + needed);
        }
        for (String local : List.of("target", "lib-repo", "data", ".git", "viewer/node_modules", "viewer/ohif")) {
            assertTrue(ignored.contains(local), ".dockerignore must drop the local " + local);
        }
        for (String script : List.of("bin/setup", "bin/livernode", ".ci/install-deps", "docker/prepare-djl-cache.sh",
                "viewer/fetch-ohif.sh")) {
            assertTrue(Files.isExecutable(REPOSITORY.resolve(script)), script + " must be executable for RUN");
        }
    }

    /** Instructions per stage, continuation lines joined and comments dropped. */
    private static List<List<String>> stages(String dockerfile) throws IOException {
        String text = Files.readString(REPOSITORY.resolve(dockerfile)).replaceAll("\\\\\\n", " ");
        List<List<String>> stages = new ArrayList<>();
        for (String line : text.split("\n")) {
            String instruction = line.trim().replaceAll("\\s+", " ");
            if (instruction.isEmpty() || instruction.startsWith("#")) {
                continue;
            }
            if (instruction.startsWith("FROM ")) {
                stages.add(new ArrayList<>());
            }
            assertFalse(stages.isEmpty(), dockerfile + ": an instruction before FROM: " + instruction);
            stages.get(stages.size() - 1).add(instruction);
        }
        return stages;
    }

    private static Set<String> aptPackages(List<String> stage) {
        Set<String> packages = new TreeSet<>();
        for (String instruction : stage) {
            Matcher m = APT_INSTALL.matcher(instruction);
            while (m.find()) {
                for (String word : m.group(1).trim().split(" ")) {
                    if (!word.isEmpty() && !word.startsWith("-")) {
                        packages.add(word);
                    }
                }
            }
        }
        return packages;
    }

    private static String instruction(List<String> stage, String keyword) {
        List<String> found = stage.stream().filter(i -> i.startsWith(keyword + " ")).toList();
        assertEquals(1, found.size(), "one " + keyword + " in the runtime stage: " + found);
        return found.get(0);
    }

    private static String pomProperty(String name) throws IOException {
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(Files.readString(REPOSITORY.resolve("pom.xml")));
        assertTrue(m.find(), "pom.xml has no " + name);
        return m.group(1).trim();
    }
}
