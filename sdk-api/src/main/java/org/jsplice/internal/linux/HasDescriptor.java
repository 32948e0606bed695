package org.jsplice.internal.linux;

/**
 * A provider's object that owns a descriptor, such as a {@link org.jsplice.NativeFile}: the core
 * holds it open (acquire, release) for the length of a call that uses it.
 */
public interface HasDescriptor {

    /**
     * The descriptor and its count of calls under way.
     *
     * @return the handle
     */
    DescriptorHandle descriptor();
}
