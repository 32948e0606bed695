/**
 * Zero-copy Linux pipe I/O: {@link org.jsplice.PipeSink#vmsplice vmsplice(2)} moves pages of the
 * program's own memory into a pipe without copying them. {@link org.jsplice.Pipes} is the entry point.
 */
package org.jsplice;
