package org.mlregistry.web.view;

import org.jspecify.annotations.Nullable;

/**
 * Links to the previous and next page of a list.
 *
 * @param page the page shown, from 1
 * @param pages how many pages there are (at least 1)
 * @param previousHref the previous page, or {@code null} on the first
 * @param nextHref the next page, or {@code null} on the last
 */
public record Pager(int page, int pages, @Nullable String previousHref, @Nullable String nextHref) {
}
