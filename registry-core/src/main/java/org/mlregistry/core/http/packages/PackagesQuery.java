package org.mlregistry.core.http.packages;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.mlregistry.core.Packages;
import org.mlregistry.core.Refusal;
import org.mlregistry.core.RegistryException;
import org.mlregistry.core.http.base.PercentDecoding;

/**
 * The query parameters of GitLab's packages API: the paging pair {@code page} (from 1) and {@code per_page} (20 when
 * absent, capped at {@value Packages#MAX_PER_PAGE} as GitLab caps it), {@code order_by}, {@code sort} ({@code asc} or
 * {@code desc}) and the filters {@code package_type}, {@code package_name}, {@code package_version}. A known parameter
 * with a bad value is a 400 naming it, as GitLab's parameter validation answers; others are ignored.
 *
 * @param page the page asked for
 * @param perPage the page size, capped
 * @param orderBy {@code order_by}, or {@code null} for the endpoint's default
 * @param descending {@code sort=desc}
 * @param packageType {@code package_type}, or {@code null}
 * @param packageName {@code package_name}, or {@code null}
 * @param packageVersion {@code package_version}, or {@code null}
 */
record PackagesQuery(int page, int perPage, @Nullable String orderBy, boolean descending, @Nullable String packageType,
                     @Nullable String packageName, @Nullable String packageVersion) {

    static PackagesQuery parse(@Nullable String raw) {
        Map<String, String> p = new LinkedHashMap<>();
        if (raw != null && !raw.isEmpty()) {
            for (String pair : raw.split("&", -1)) {
                int eq = pair.indexOf('=');
                String name = decoded(eq < 0 ? pair : pair.substring(0, eq), "parameter name");
                p.put(name, decoded(eq < 0 ? "" : pair.substring(eq + 1), name));
            }
        }
        int page = number(p.get("page"), "page", 1);
        int perPage = Math.min(number(p.get("per_page"), "per_page", Packages.DEFAULT_PER_PAGE), Packages.MAX_PER_PAGE);
        String sort = p.getOrDefault("sort", "asc");
        if (!sort.equals("asc") && !sort.equals("desc")) {
            throw invalid("sort");
        }
        return new PackagesQuery(page, perPage, p.get("order_by"), sort.equals("desc"), p.get("package_type"),
                blankToNull(p.get("package_name")), blankToNull(p.get("package_version")));
    }

    /** The listing's filters and order ({@code created_at} unless asked otherwise). */
    Packages.Query listing() {
        return new Packages.Query(packageType, packageName, packageVersion,
                orderBy == null ? Packages.Order.CREATED_AT : Packages.Order.parse(orderBy), descending);
    }

    /** The package file listing's order ({@code id} unless asked otherwise). */
    Packages.FileOrder fileOrder() {
        return orderBy == null ? Packages.FileOrder.ID : Packages.FileOrder.parse(orderBy);
    }

    /**
     * This query for page {@code n}, written from the parsed values only (a link a client follows carries no text it
     * did not send as a known parameter, and that re-encoded).
     */
    String forPage(long n) {
        StringBuilder q = new StringBuilder();
        add(q, "package_type", packageType);
        add(q, "package_name", packageName);
        add(q, "package_version", packageVersion);
        add(q, "order_by", orderBy);
        add(q, "sort", descending ? "desc" : null);
        q.append(q.isEmpty() ? "" : "&").append("page=").append(n).append("&per_page=").append(perPage);
        return q.toString();
    }

    private static void add(StringBuilder q, String name, @Nullable String value) {
        if (value != null) {
            q.append(q.isEmpty() ? "" : "&").append(name).append('=').append(java.net.URLEncoder.encode(value,
                    java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    private static @Nullable String blankToNull(@Nullable String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static int number(@Nullable String value, String name, int otherwise) {
        if (value == null) {
            return otherwise;
        }
        // ASCII digits only, as Grape's Integer coercion; 0 and below are page 1, as GitLab's pagination treats them
        if (value.isEmpty() || value.length() > 9 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new RegistryException(Refusal.INVALID_PARAMETER_VALUE, name + " is invalid");
        }
        return Math.max(1, Integer.parseInt(value));
    }

    private static String decoded(String raw, String name) {
        try {
            return PercentDecoding.formComponent(raw);
        } catch (IllegalArgumentException e) {
            throw new RegistryException(Refusal.INVALID_PARAMETER_VALUE, name + " is invalid");
        }
    }

    private static RegistryException invalid(String parameter) {
        return new RegistryException(Refusal.INVALID_PARAMETER_VALUE, parameter + " does not have a valid value");
    }
}
