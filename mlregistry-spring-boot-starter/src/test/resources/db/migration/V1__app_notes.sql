-- the application's own schema, migrated by Spring Boot's Flyway beside the registry's
CREATE TABLE app_notes (id INT PRIMARY KEY, note VARCHAR(100));
