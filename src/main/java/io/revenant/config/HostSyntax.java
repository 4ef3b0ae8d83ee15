package io.revenant.config;

import java.net.InetAddress;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Whether a {@code server.host} or {@code admin.host} value can be an address at all, decided from
 * the text only. Only the shape is checked when the file is loaded: whether a name resolves, and
 * to an address of this machine, is a fact of the machine at bind time (the same file is also read
 * where images and manifests are built, and a reload is validated on the supervisor's loop, which
 * must not wait on DNS). Without this check, {@code 999.1.1.1} went to DNS as a name.
 */
final class HostSyntax {

    static final String ALLOWED = "must be an IPv4 address (four numbers 0-255, e.g. 127.0.0.1; 0.0.0.0 for all),"
                                  + " an IPv6 address (:: for all) or a host name of this machine";

    private static final Pattern DIGITS_AND_DOTS = Pattern.compile("[0-9.]+");
    private static final Pattern DOTTED_QUAD = Pattern.compile(
            "((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");
    /** RFC 1123 labels; '_' too, which container engines' DNS serves (compose service names). */
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?");

    private HostSyntax() {
    }

    /** @return what is wrong with {@code host}, or empty when it has the shape of an address or a name */
    static Optional<String> problem(String host) {
        if (host.isEmpty()) {
            return Optional.empty();   // the required-value check speaks for an empty string
        }
        if (DIGITS_AND_DOTS.matcher(host).matches()) {
            return DOTTED_QUAD.matcher(host).matches() ? Optional.empty()
                    : Optional.of(ALLOWED + "; got \"" + host + "\" (not an IPv4 address)");
        }
        if (host.contains(":")) {
            try {
                InetAddress.ofLiteral(host);   // parses only: never a DNS lookup
                return Optional.empty();
            } catch (IllegalArgumentException e) {
                return Optional.of(ALLOWED + "; got \"" + host + "\" (not an IPv6 address)");
            }
        }
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        boolean valid = name.length() <= 253 && !name.isEmpty();
        for (String label : name.split("\\.", -1)) {
            valid &= LABEL.matcher(label).matches();
        }
        return valid ? Optional.empty() : Optional.of(ALLOWED + "; got \"" + host + "\" (not a valid host name)");
    }
}
