/** Model cards and descriptions: {@code MarkdownRenderer} turns CommonMark into HTML that is safe to show. */
@NullMarked
package org.mlregistry.web.markdown;

import org.jspecify.annotations.NullMarked;
