/** Model files on a file system: {@code FileSystemModelFileStore}. */
module org.mlregistry.storage.fs {
    requires transitive org.mlregistry.core;
    requires org.slf4j;

    exports org.mlregistry.storage.fs;
}
