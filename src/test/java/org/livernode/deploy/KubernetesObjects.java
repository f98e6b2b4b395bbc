package org.livernode.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Reads rendered manifests as Kubernetes' own API types (fabric8's model of the OpenAPI), so a misspelt or misplaced
 * field, or a value of the wrong type, fails here instead of at {@code kubectl apply}.
 */
final class KubernetesObjects {

    private static final Map<String, Class<?>> TYPES = Map.of(
            "v1/ConfigMap", ConfigMap.class,
            "v1/Service", Service.class,
            "v1/PersistentVolumeClaim", PersistentVolumeClaim.class,
            "apps/v1/Deployment", Deployment.class,
            "batch/v1/Job", Job.class,
            "batch/v1/CronJob", io.fabric8.kubernetes.api.model.batch.v1.CronJob.class);
    /** Custom resources the chart may render, checked for their API version only. */
    private static final List<String> CUSTOM = List.of("monitoring.coreos.com/v1/ServiceMonitor");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private KubernetesObjects() {
    }

    static void assertValid(JsonNode manifest) {
        String type = manifest.at("/apiVersion").asText() + "/" + manifest.at("/kind").asText();
        if (CUSTOM.contains(type)) {
            return;
        }
        Class<?> model = TYPES.get(type);
        if (model == null) {
            throw new AssertionError("the chart renders " + type + ", which this test does not know: add its type");
        }
        Object object;
        try {
            object = MAPPER.treeToValue(manifest, model);
        } catch (JsonProcessingException e) {
            throw new AssertionError(type + " " + manifest.at("/metadata/name").asText() + " is not a valid " + type
                    + ": " + e.getOriginalMessage(), e);
        }
        List<String> unknown = new ArrayList<>();
        collectUnknownFields(object, type, unknown);
        if (!unknown.isEmpty()) {
            throw new AssertionError(type + " " + manifest.at("/metadata/name").asText() + " has fields Kubernetes does not define: " + unknown);
        }
    }

    /** fabric8's types keep fields they do not define in additionalProperties instead of failing: look there. */
    private static void collectUnknownFields(Object value, String path, List<String> unknown) {
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                collectUnknownFields(item, path + "[" + i++ + "]", unknown);
            }
        } else if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> collectUnknownFields(v, path + "." + k, unknown));
        } else if (value != null && value.getClass().getPackageName().startsWith("io.fabric8.kubernetes.api.model")) {
            for (Method getter : value.getClass().getMethods()) {
                if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                        || !getter.getName().startsWith("get") || getter.getName().equals("getClass")) {
                    continue;
                }
                Object field;
                try {
                    field = getter.invoke(value);
                } catch (IllegalAccessException | InvocationTargetException e) {
                    throw new IllegalStateException(getter.toString(), e);
                }
                if (getter.getName().equals("getAdditionalProperties")) {
                    ((Map<?, ?>) field).keySet().forEach(k -> unknown.add(path + "." + k));
                } else {
                    collectUnknownFields(field, path + "." + getter.getName().substring(3), unknown);
                }
            }
        }
    }
}
