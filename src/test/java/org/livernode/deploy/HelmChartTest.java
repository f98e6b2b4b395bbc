package org.livernode.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Helm chart, rendered by helm itself (helm-java): lint, then what Kubernetes would run for the default values
 * and for helm/values-production.yaml, checked against the application's own settings (ports, health paths,
 * configuration keys) read from its sources.
 */
class HelmChartTest {

    private static final Path REPOSITORY = Path.of("").toAbsolutePath();
    private static final Path CHART = REPOSITORY.resolve("helm/livernode");
    private static final Path PRODUCTION = REPOSITORY.resolve("helm/values-production.yaml");
    /**
     * Keys the chart sets that the task fixed before the application declared them (the node's remote AEs). Tolerated
     * only while the application has no such key; once it does, the key is checked like any other.
     */
    private static final Set<String> AGREED_KEYS_NOT_YET_IN_APP = Set.of("livernode.known-aes", "livernode.destination");

    private static AppSettings app;

    @BeforeAll
    static void readApplication() {
        app = AppSettings.read(REPOSITORY);
    }

    @Test
    void lintPasses() {
        LintResult lint = new Helm(CHART).lint().strict().call();
        assertFalse(lint.isFailed(), "helm lint --strict: " + lint.getMessages());
    }

    @Test
    void defaultValuesRunOneNodeOnTheEmbeddedDatabase() throws IOException {
        Rendered r = render(null, Map.of());
        JsonNode deployment = r.one("Deployment");
        assertEquals(1, deployment.at("/spec/replicas").asInt());
        assertEquals("Recreate", deployment.at("/spec/strategy/type").asText(), "one H2 owner at a time");
        JsonNode container = container(deployment);
        assertEquals("serve", container.at("/args/0").asText());
        assertTrue(container.at("/image").asText().endsWith(":0.1.0"), container.at("/image").asText());
        assertProbesAndPortsMatchTheApplication(container);
        assertEnvironmentNamesAreTheApplicationsKeys(r, container);

        Map<String, String> config = r.configMap();
        // The chart's defaults are the application's own defaults.
        for (String key : List.of("livernode.dicom.ae-title", "livernode.dicom.port", "livernode.series.quiet-period",
                "quarkus.http.port", "livernode.models.promotion-margin")) {
            assertEquals(app.defaultOf(key), config.get(AppSettings.envName(key)), key);
        }
        assertEquals("/data", config.get(AppSettings.envName("livernode.data-dir")));
        assertEquals("/data", mountPath(container, "data"));
        assertFalse(config.containsKey("QUARKUS_PROFILE"), "H2 by default");

        JsonNode pvc = r.one("PersistentVolumeClaim");
        assertEquals("ReadWriteOnce", pvc.at("/spec/accessModes/0").asText());
        assertEquals(pvc.at("/metadata/name").asText(), volumeClaim(deployment));
        assertTrue(container.at("/resources/limits/nvidia.com~1gpu").isMissingNode(), "no GPU by default");
        assertEquals(List.of(), r.all("Job"), "training is off by default");
        assertEquals(List.of(), r.all("CronJob"), "retraining is off by default");
        assertEquals(List.of(), r.all("ServiceMonitor"));

        JsonNode dicom = r.named("Service", "livernode-dicom");
        assertEquals(app.dicomPort(), dicom.at("/spec/ports/0/port").asInt());
        assertEquals("dicom", dicom.at("/spec/ports/0/targetPort").asText());
        assertEquals("http", r.named("Service", "livernode-http").at("/spec/ports/0/targetPort").asText());
    }

    @Test
    void productionValuesRunThreeGpuReplicasOnPostgresql() throws IOException {
        Rendered r = render(PRODUCTION, Map.of());
        JsonNode deployment = r.one("Deployment");
        assertEquals(3, deployment.at("/spec/replicas").asInt());
        assertEquals("RollingUpdate", deployment.at("/spec/strategy/type").asText());
        JsonNode container = container(deployment);
        assertProbesAndPortsMatchTheApplication(container);
        assertEnvironmentNamesAreTheApplicationsKeys(r, container);

        assertEquals("ReadWriteMany", r.one("PersistentVolumeClaim").at("/spec/accessModes/0").asText(),
                "every replica reads every received file");
        Map<String, String> config = r.configMap();
        assertEquals("postgresql", config.get("QUARKUS_PROFILE"));
        assertTrue(config.get(AppSettings.envName("quarkus.datasource.postgresql.jdbc.url")).startsWith("jdbc:postgresql://"));
        assertEquals("PACS@pacs.hospital.example:104", config.get("LIVERNODE_DESTINATION"));
        for (String credential : List.of("USERNAME", "PASSWORD")) {
            JsonNode ref = env(container, "QUARKUS_DATASOURCE_POSTGRESQL_" + credential).at("/valueFrom/secretKeyRef");
            assertEquals("livernode-db", ref.at("/name").asText(), credential + " comes from the Secret");
        }

        assertEquals(1, container.at("/resources/limits/nvidia.com~1gpu").asInt(), container.at("/resources").toString());
        assertTrue(container.at("/image").asText().endsWith(":0.1.0-gpu"), container.at("/image").asText());
        JsonNode pod = deployment.at("/spec/template/spec");
        assertEquals("true", pod.at("/nodeSelector/nvidia.com~1gpu.present").asText());
        assertTrue(pod.at("/tolerations").toString().contains("nvidia.com/gpu"), pod.at("/tolerations").toString());
        assertEquals("LoadBalancer", r.named("Service", "livernode-dicom").at("/spec/type").asText());

        JsonNode monitor = r.one("ServiceMonitor");
        assertEquals(app.metricsPath(), monitor.at("/spec/endpoints/0/path").asText());
        assertEquals("http", monitor.at("/spec/endpoints/0/port").asText());
    }

    @Test
    void severalReplicasWithoutPostgresqlAreRefused() {
        Exception refused = assertThrows(Exception.class, () -> render(null, Map.of("replicaCount", 2)));
        assertTrue(refused.getMessage().contains("replicaCount=2 needs postgresql.enabled=true"), refused.getMessage());
        Exception rwo = assertThrows(Exception.class, () -> render(PRODUCTION, Map.of("persistence.accessMode", "ReadWriteOnce")));
        assertTrue(rwo.getMessage().contains("needs persistence.accessMode=ReadWriteMany"), rwo.getMessage());
    }

    @Test
    void schemaRefusesAMalformedDestination() {
        Exception refused = assertThrows(Exception.class, () -> render(null, Map.of("dicom.destination", "PACS:104")));
        assertTrue(refused.getMessage().contains("destination"), refused.getMessage());
    }

    @Test
    void trainingJobRunsTrainOnTheNodesVolumeAndSettings() throws IOException {
        Rendered r = render(PRODUCTION, Map.of("training.enabled", true, "training.args[0]", "--epochs", "training.args[1]", "3"));
        JsonNode job = r.one("Job");
        JsonNode container = job.at("/spec/template/spec/containers/0");
        List<String> args = new ArrayList<>();
        container.at("/args").forEach(a -> args.add(a.asText()));
        assertEquals(List.of("train", "--epochs", "3"), args);
        assertEquals(volumeClaim(r.one("Deployment")), job.at("/spec/template/spec/volumes/0/persistentVolumeClaim/claimName").asText());
        assertEquals("/data", mountPath(container, "data"));
        assertEquals(r.one("ConfigMap").at("/metadata/name").asText(), container.at("/envFrom/0/configMapRef/name").asText());
        assertEquals(1, container.at("/resources/limits/nvidia.com~1gpu").asInt());
        // The training pod must not receive DICOM associations nor count as a node replica.
        JsonNode podLabels = job.at("/spec/template/metadata/labels");
        for (JsonNode selector : List.of(r.named("Service", "livernode-dicom").at("/spec/selector"),
                r.one("Deployment").at("/spec/selector/matchLabels"))) {
            List<String> mismatches = new ArrayList<>();
            selector.fields().forEachRemaining(f -> {
                if (!f.getValue().equals(podLabels.get(f.getKey()))) {
                    mismatches.add(f.getKey());
                }
            });
            assertFalse(mismatches.isEmpty(), "selector " + selector + " matches the training pod " + podLabels);
        }
    }

    @Test
    void retrainCronJobRunsRetrainOnTheNodesVolumeOnItsSchedule() throws IOException {
        Rendered r = render(PRODUCTION, Map.of("retrain.enabled", true, "retrain.schedule", "30 3 * * 6",
                "retrain.args[0]", "--epochs", "retrain.args[1]", "5", "models.validationData", "lits-slices:/data/lits-slices"));
        JsonNode cron = r.one("CronJob");
        assertEquals("30 3 * * 6", cron.at("/spec/schedule").asText());
        assertEquals("Forbid", cron.at("/spec/concurrencyPolicy").asText(), "never two fine-tunings of one model at once");
        JsonNode pod = cron.at("/spec/jobTemplate/spec/template/spec");
        JsonNode container = pod.at("/containers/0");
        List<String> args = new ArrayList<>();
        container.at("/args").forEach(a -> args.add(a.asText()));
        assertEquals(List.of("retrain", "--by", "cronjob", "--epochs", "5"), args);
        assertEquals("Never", pod.at("/restartPolicy").asText());
        assertEquals(volumeClaim(r.one("Deployment")), pod.at("/volumes/0/persistentVolumeClaim/claimName").asText(),
                "the registry lives on the node's shared data volume");
        assertEquals("/data", mountPath(container, "data"));
        assertEquals(r.one("ConfigMap").at("/metadata/name").asText(), container.at("/envFrom/0/configMapRef/name").asText());
        Map<String, String> config = r.configMap();
        assertEquals("lits-slices:/data/lits-slices", config.get(AppSettings.envName("livernode.models.validation-data")));
        JsonNode podLabels = cron.at("/spec/jobTemplate/spec/template/metadata/labels");
        assertEquals("retraining", podLabels.at("/app.kubernetes.io~1component").asText());
        assertFalse(podLabels.equals(r.one("Deployment").at("/spec/template/metadata/labels")), "not a node replica");
        assertThrows(Exception.class, () -> render(null, Map.of("retrain.enabled", true, "retrain.schedule", "daily")));
    }

    private static void assertProbesAndPortsMatchTheApplication(JsonNode container) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        container.at("/ports").forEach(p -> ports.put(p.at("/name").asText(), p.at("/containerPort").asInt()));
        assertEquals(Map.of("dicom", app.dicomPort(), "http", app.httpPort()), ports);
        Map<String, String> probes = Map.of("livenessProbe", "liveness", "readinessProbe", "readiness", "startupProbe", "startup");
        probes.forEach((probe, health) -> {
            assertEquals(app.healthPath(health), container.at("/" + probe + "/httpGet/path").asText(), probe);
            assertEquals("http", container.at("/" + probe + "/httpGet/port").asText(), probe);
        });
    }

    /** Every LIVERNODE_* / QUARKUS_* variable the pod gets is the environment form of a key the application reads. */
    private static void assertEnvironmentNamesAreTheApplicationsKeys(Rendered r, JsonNode container) {
        Set<String> names = new TreeSet<>(r.configMap().keySet());
        container.at("/env").forEach(e -> names.add(e.at("/name").asText()));
        List<String> unknown = new ArrayList<>();
        for (String name : names) {
            if ((name.startsWith("LIVERNODE_") || name.startsWith("QUARKUS_")) && app.keyForEnv(name).isEmpty()
                    && AGREED_KEYS_NOT_YET_IN_APP.stream().noneMatch(key -> AppSettings.envName(key).equals(name))) {
                unknown.add(name);
            }
        }
        assertEquals(List.of(), unknown, "environment variables that match no application key; keys: " + app.keys());
    }

    private static JsonNode container(JsonNode workload) {
        return workload.at("/spec/template/spec/containers/0");
    }

    private static JsonNode env(JsonNode container, String name) {
        for (JsonNode e : container.at("/env")) {
            if (e.at("/name").asText().equals(name)) {
                return e;
            }
        }
        throw new AssertionError("no env " + name + " in " + container.at("/env"));
    }

    private static String mountPath(JsonNode container, String volume) {
        for (JsonNode m : container.at("/volumeMounts")) {
            if (m.at("/name").asText().equals(volume)) {
                return m.at("/mountPath").asText();
            }
        }
        throw new AssertionError("volume " + volume + " is not mounted: " + container.at("/volumeMounts"));
    }

    private static String volumeClaim(JsonNode deployment) {
        return deployment.at("/spec/template/spec/volumes/0/persistentVolumeClaim/claimName").asText();
    }

    private static Rendered render(Path values, Map<String, Object> sets) throws IOException {
        TemplateCommand template = new Helm(CHART).template().withName("livernode").withNamespace("livernode");
        if (values != null) {
            template = template.withValuesFile(values);
        }
        for (Map.Entry<String, Object> set : sets.entrySet()) {
            template = template.set(set.getKey(), set.getValue());
        }
        String manifests = template.call();
        List<JsonNode> documents = new ArrayList<>();
        for (JsonNode document : new YAMLMapper().readerFor(JsonNode.class).<JsonNode>readValues(manifests).readAll()) {
            if (document != null && document.has("kind")) {
                KubernetesObjects.assertValid(document);
                documents.add(document);
            }
        }
        return new Rendered(documents);
    }

    private record Rendered(List<JsonNode> documents) {
        List<JsonNode> all(String kind) {
            return documents.stream().filter(d -> d.at("/kind").asText().equals(kind)).toList();
        }

        JsonNode one(String kind) {
            List<JsonNode> found = all(kind);
            assertEquals(1, found.size(), "one " + kind);
            return found.get(0);
        }

        JsonNode named(String kind, String name) {
            return all(kind).stream().filter(d -> d.at("/metadata/name").asText().equals(name)).findFirst()
                    .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
        }

        Map<String, String> configMap() {
            Map<String, String> data = new LinkedHashMap<>();
            one("ConfigMap").at("/data").fields().forEachRemaining(f -> data.put(f.getKey(), f.getValue().asText()));
            return data;
        }
    }
}
