package org.mlregistry.core.util;

import java.nio.charset.StandardCharsets;

/**
 * {@code Content-Disposition: attachment} with both {@code filename} (a quoted ASCII fallback) and
 * {@code filename*} (RFC 6266 / RFC 8187, UTF-8, percent-encoded). Quotes, backslashes, control and
 * non-ASCII characters never reach the quoted form, so a file name cannot inject header syntax. Public for stores
 * that have object storage send it ({@code response-content-disposition} of a signed URL).
 */
public final class ContentDisposition {
    /** The headers of recent names: every download of a file sends the same one. */
    private static final BoundedCache<String, String> FORMATTED = new BoundedCache<>(16_384);

    private ContentDisposition() {
    }

    /** The header value naming a download {@code fileName}. */
    public static String attachment(String fileName) {
        return FORMATTED.get(fileName, ContentDisposition::format);
    }

    private static String format(String fileName) {
        StringBuilder ascii = new StringBuilder();
        StringBuilder encoded = new StringBuilder();
        for (byte b : fileName.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            boolean attrChar = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$&+-.^_`|~".indexOf(c) >= 0;
            encoded.append(attrChar ? String.valueOf((char) c) : String.format("%%%02X", c));
        }
        for (int i = 0; i < fileName.length(); i++) {
            char c = fileName.charAt(i);
            ascii.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? c : '_');
        }
        return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
    }
}
