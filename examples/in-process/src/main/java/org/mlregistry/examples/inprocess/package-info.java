/**
 * The registry used in-process, without HTTP: {@link org.mlregistry.examples.inprocess.InProcessExample}.
 */
@NullMarked
package org.mlregistry.examples.inprocess;

import org.jspecify.annotations.NullMarked;
