package org.mlregistry.web.view;

/**
 * A file of a version or a run.
 *
 * @param path its path inside the version
 * @param depth how many folders deep it is, for indenting the tree
 * @param name its last segment
 * @param size its size, in words
 * @param sha256 its SHA-256, hex
 * @param href where it downloads (and where a delete posts)
 */
public record FileItem(String path, int depth, String name, String size, String sha256, String href) {
}
