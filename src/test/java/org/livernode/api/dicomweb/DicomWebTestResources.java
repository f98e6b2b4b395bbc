package org.livernode.api.dicomweb;

import org.livernode.testing.NodeTestResources;

import java.util.HashMap;
import java.util.Map;

/**
 * {@link NodeTestResources}, tolerating config keys under {@code livernode.} that no mapping declares
 * (main's {@code livernode.home} is read by @ConfigProperty only, so a test application refuses to start
 * until a mapping declares it; drop this class once main maps it).
 */
public class DicomWebTestResources extends NodeTestResources {
    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        config.put("smallrye.config.mapping.validate-unknown", "false");
        return config;
    }
}
