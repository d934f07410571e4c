/** The registry's observer as Micrometer meters: {@code MicrometerObserver}. */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"}) // Micrometer's modules are automatic
module org.mlregistry.metrics {
    requires transitive org.mlregistry.core;
    requires transitive micrometer.core;

    exports org.mlregistry.metrics;
}
