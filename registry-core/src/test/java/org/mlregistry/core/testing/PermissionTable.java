package org.mlregistry.core.testing;

import java.util.stream.Stream;
import org.mlregistry.core.model.Project;

/**
 * GitLab's permission rules as one table: for every target visibility and every caller, the outcome
 * of reading (GET, and HEAD without a body) and of uploading a new file (PUT). The facade test and the
 * HTTP test both run it, so the in-process API and the wire agree.
 */
public final class PermissionTable {

    /** One row: who asks which project, and what reading and writing must give. */
    public record Row(Project project, TableCaller caller, Outcome read, Outcome write) {
        @Override
        public String toString() {
            return project.visibility() + " x " + caller + " -> read " + read + ", write " + write;
        }
    }

    // visibility | caller | read | write
    private static final String TABLE = """
            PUBLIC   | ANONYMOUS            | OK                | UNAUTHORIZED
            INTERNAL | ANONYMOUS            | PROJECT_NOT_FOUND | UNAUTHORIZED
            PRIVATE  | ANONYMOUS            | PROJECT_NOT_FOUND | UNAUTHORIZED
            PUBLIC   | INVALID              | UNAUTHORIZED      | UNAUTHORIZED
            INTERNAL | INVALID              | UNAUTHORIZED      | UNAUTHORIZED
            PRIVATE  | INVALID              | UNAUTHORIZED      | UNAUTHORIZED
            PUBLIC   | EXPIRED              | EXPIRED           | EXPIRED
            INTERNAL | EXPIRED              | EXPIRED           | EXPIRED
            PRIVATE  | EXPIRED              | EXPIRED           | EXPIRED
            PUBLIC   | REVOKED              | REVOKED           | REVOKED
            INTERNAL | REVOKED              | REVOKED           | REVOKED
            PRIVATE  | REVOKED              | REVOKED           | REVOKED
            PUBLIC   | WRONG_SCOPE          | SCOPE_READ        | SCOPE_WRITE
            INTERNAL | WRONG_SCOPE          | SCOPE_READ        | SCOPE_WRITE
            PRIVATE  | WRONG_SCOPE          | SCOPE_READ        | SCOPE_WRITE
            PUBLIC   | NON_MEMBER           | OK                | FORBIDDEN
            INTERNAL | NON_MEMBER           | PROJECT_NOT_FOUND | PROJECT_NOT_FOUND
            PRIVATE  | NON_MEMBER           | PROJECT_NOT_FOUND | PROJECT_NOT_FOUND
            PUBLIC   | GUEST                | OK                | FORBIDDEN
            INTERNAL | GUEST                | OK                | FORBIDDEN
            PRIVATE  | GUEST                | OK                | FORBIDDEN
            PUBLIC   | REPORTER             | OK                | FORBIDDEN
            INTERNAL | REPORTER             | OK                | FORBIDDEN
            PRIVATE  | REPORTER             | OK                | FORBIDDEN
            PUBLIC   | DEVELOPER            | OK                | CREATED
            INTERNAL | DEVELOPER            | OK                | CREATED
            PRIVATE  | DEVELOPER            | OK                | CREATED
            PUBLIC   | MAINTAINER           | OK                | CREATED
            INTERNAL | MAINTAINER           | OK                | CREATED
            PRIVATE  | MAINTAINER           | OK                | CREATED
            PUBLIC   | READ_API             | OK                | SCOPE_WRITE
            INTERNAL | READ_API             | OK                | SCOPE_WRITE
            PRIVATE  | READ_API             | OK                | SCOPE_WRITE
            PUBLIC   | JOB_OWN_PROJECT      | OK                | CREATED
            INTERNAL | JOB_OWN_PROJECT      | OK                | CREATED
            PRIVATE  | JOB_OWN_PROJECT      | OK                | CREATED
            PUBLIC   | JOB_ALLOWED_PROJECT  | OK                | CREATED
            INTERNAL | JOB_ALLOWED_PROJECT  | OK                | CREATED
            PRIVATE  | JOB_ALLOWED_PROJECT  | OK                | CREATED
            PUBLIC   | JOB_NOT_ALLOWED      | JOB_NOT_ALLOWED   | JOB_NOT_ALLOWED
            INTERNAL | JOB_NOT_ALLOWED      | JOB_NOT_ALLOWED   | JOB_NOT_ALLOWED
            PRIVATE  | JOB_NOT_ALLOWED      | JOB_NOT_ALLOWED   | JOB_NOT_ALLOWED
            PUBLIC   | JOB_FINISHED         | UNAUTHORIZED      | UNAUTHORIZED
            INTERNAL | JOB_FINISHED         | UNAUTHORIZED      | UNAUTHORIZED
            PRIVATE  | JOB_FINISHED         | UNAUTHORIZED      | UNAUTHORIZED
            PUBLIC   | DEPLOY_READ          | OK                | SCOPE_DEPLOY_WRITE
            INTERNAL | DEPLOY_READ          | OK                | SCOPE_DEPLOY_WRITE
            PRIVATE  | DEPLOY_READ          | OK                | SCOPE_DEPLOY_WRITE
            PUBLIC   | DEPLOY_WRITE         | SCOPE_DEPLOY_READ | CREATED
            INTERNAL | DEPLOY_WRITE         | SCOPE_DEPLOY_READ | CREATED
            PRIVATE  | DEPLOY_WRITE         | SCOPE_DEPLOY_READ | CREATED
            PUBLIC   | DEPLOY_OTHER_PROJECT | DEPLOY_OTHER      | DEPLOY_OTHER
            INTERNAL | DEPLOY_OTHER_PROJECT | PROJECT_NOT_FOUND | PROJECT_NOT_FOUND
            PRIVATE  | DEPLOY_OTHER_PROJECT | PROJECT_NOT_FOUND | PROJECT_NOT_FOUND
            """;

    private PermissionTable() {
    }

    /** Every row of the table. */
    public static Stream<Row> rows() {
        return TABLE.lines().map(String::strip).filter(l -> !l.isEmpty()).map(PermissionTable::row);
    }

    private static Row row(String line) {
        String[] c = line.split("\\s*\\|\\s*");
        Project project = RegistryFixture.TARGETS.stream()
                .filter(p -> p.visibility().name().equals(c[0])).findFirst().orElseThrow();
        return new Row(project, TableCaller.valueOf(c[1]), Outcome.valueOf(c[2]), Outcome.valueOf(c[3]));
    }
}
