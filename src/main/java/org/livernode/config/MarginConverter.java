package org.livernode.config;

import org.eclipse.microprofile.config.spi.Converter;

/** Checks the promotion margin at start: a DSC difference, a number in [0, 1). */
public final class MarginConverter implements Converter<Double> {
    @Override
    public Double convert(String value) {
        double m;
        try {
            m = Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("livernode.models.promotion-margin must be a DSC difference in [0, 1), found '"
                    + value + "'");
        }
        if (!(m >= 0 && m < 1)) {
            throw new IllegalArgumentException("livernode.models.promotion-margin must be in [0, 1), found " + value);
        }
        return m;
    }
}
