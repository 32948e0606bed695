package org.jsplice.samples;

import picocli.CommandLine.ITypeConverter;

/** Lets picocli read sizes as {@link Sizes#parse} does. */
final class SizeConverter implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
        return Sizes.parse(value);
    }
}
