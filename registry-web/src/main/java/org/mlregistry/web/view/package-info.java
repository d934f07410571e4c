/**
 * What each page shows, as records the templates render: {@code HomeView}, {@code ModelsView}, {@code ModelView},
 * {@code VersionView}, {@code ExperimentsView}, {@code ExperimentView}, {@code RunView}, {@code CompareView}, around a
 * {@code Layout}. Every string in them is escaped by the template engine except {@code Markdown}'s HTML.
 */
@NullMarked
package org.mlregistry.web.view;

import org.jspecify.annotations.NullMarked;
