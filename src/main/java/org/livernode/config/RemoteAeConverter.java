package org.livernode.config;

import org.eclipse.microprofile.config.spi.Converter;
import org.livernode.dicom.vocabulary.RemoteAe;

/** Reads {@code AET@host:port} settings at start; a wrong value stops the node with the rule and the value. */
public final class RemoteAeConverter implements Converter<RemoteAe> {
    @Override
    public RemoteAe convert(String value) {
        return RemoteAe.parse(value);
    }
}
