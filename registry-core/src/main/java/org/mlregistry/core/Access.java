package org.mlregistry.core;

/** What a caller wants to do with a project's model files. */
enum Access { READ, WRITE }
