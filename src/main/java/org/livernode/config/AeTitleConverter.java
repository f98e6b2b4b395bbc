package org.livernode.config;

import org.eclipse.microprofile.config.spi.Converter;
import org.livernode.dicom.vocabulary.AeTitle;

/** Checks an AE title setting at start against the AE title rule. */
public final class AeTitleConverter implements Converter<String> {
    @Override
    public String convert(String value) {
        return AeTitle.require("AE title", value);
    }
}
