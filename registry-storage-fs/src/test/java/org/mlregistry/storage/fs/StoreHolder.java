package org.mlregistry.storage.fs;

import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;

/** A separate process that opens a store on a root and stays alive until it is killed: a test's other node. */
public final class StoreHolder {
    private StoreHolder() {
    }

    public static void main(String[] args) throws Exception {
        FileSystemModelFileStore store = new FileSystemModelFileStore(Path.of(args[0]));
        System.out.print("ready\n");
        System.out.flush();
        while (store.hashesComputed() >= 0) {
            LockSupport.parkNanos(1_000_000_000L); // until killed
        }
    }
}
