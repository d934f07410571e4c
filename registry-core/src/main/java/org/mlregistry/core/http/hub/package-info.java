/**
 * The Hugging Face endpoints under {@code /projects/:id/hf} ({@code resolve}, model info, revisions, tree listings)
 * that {@code huggingface_hub} and everything built on it call, their JSON, and the Hub's words for refusals
 * ({@code X-Error-Code}). Not exported by the module.
 */
@NullMarked
package org.mlregistry.core.http.hub;

import org.jspecify.annotations.NullMarked;
