package org.livernode.config;

import org.eclipse.microprofile.config.spi.Converter;

/** Checks a probability threshold setting at start: a number strictly between 0 and 1. */
public final class ProbabilityConverter implements Converter<Double> {
    @Override
    public Double convert(String value) {
        double p;
        try {
            p = Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a probability threshold must be a number between 0 and 1, found '" + value + "'");
        }
        if (!(p > 0 && p < 1)) {
            throw new IllegalArgumentException("a probability threshold must be between 0 and 1 (exclusive), found " + value);
        }
        return p;
    }
}
