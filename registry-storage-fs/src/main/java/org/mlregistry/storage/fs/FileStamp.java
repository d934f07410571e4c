package org.mlregistry.storage.fs;

import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.TimeUnit;

/**
 * What identifies one version of a file on disk without reading it: size, modification time and, where
 * the file system has one, the file key (device and inode). A digest computed for one stamp is valid
 * exactly as long as the file still has that stamp; replacing a file by rename changes the key even when
 * size and time are kept.
 */
record FileStamp(long size, long modifiedNanos, String fileKey) {

    static FileStamp of(BasicFileAttributes attrs) {
        Object key = attrs.fileKey();
        return new FileStamp(attrs.size(), attrs.lastModifiedTime().to(TimeUnit.NANOSECONDS),
                key == null ? "none" : key.toString().replace(' ', '_'));
    }
}
