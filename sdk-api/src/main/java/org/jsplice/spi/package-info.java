/**
 * The provider SPI: what a binding implements so that {@link org.jsplice.Pipes} can find it.
 */
package org.jsplice.spi;
