package io.revenant.supervisor;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Refuses admin POSTs that a web page in a local browser sent on its own, cross-origin: a page
 * on any site can make the browser POST to {@code http://127.0.0.1:9000/reload}. Browsers mark
 * such requests: every POST carries {@code Origin} (Fetch standard), and current ones add
 * {@code Sec-Fetch-Site}. curl and scripts send neither, so they keep working unchanged.
 *
 * <p>The own origin is a fixed list of names (the configured admin host, localhost, 127.0.0.1,
 * [::1]) on the port the request arrived on, never the request's {@code Host}: a DNS-rebinding
 * page has a matching Host and Origin, both naming the attacker's domain.
 *
 * <p>The Content-Type is not checked: {@code curl -d ''} sends the form type a cross-origin form
 * would, and browsers that could send a form without {@code Origin} are long gone.
 */
final class AdminOrigin {

    private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "127.0.0.1", "[::1]");

    private AdminOrigin() {
    }

    /**
     * @param origin       the {@code Origin} header, if any
     * @param fetchSite    the {@code Sec-Fetch-Site} header, if any
     * @param adminHost    {@code admin.host} as configured
     * @param port         the port the request arrived on
     * @return why the request is refused, or empty when it may proceed
     */
    static Optional<String> refusal(Optional<String> origin, Optional<String> fetchSite, String adminHost, int port) {
        return refusal(origin, fetchSite, adminHost, port, Optional.empty());
    }

    /**
     * As above; {@code host} is the request's {@code Host} header. A container's admin port is
     * published on another host port (127.0.0.1:9001 to 9000 inside), so its own page's Origin
     * names the published port: that is still its own origin when the browser's Host names the
     * same loopback name and port. Only loopback names count here: a DNS-rebinding page's Origin
     * and Host both name the attacker's domain.
     */
    static Optional<String> refusal(Optional<String> origin, Optional<String> fetchSite, String adminHost, int port,
                                    Optional<String> host) {
        if (fetchSite.isPresent()) {
            String site = fetchSite.get().trim().toLowerCase(Locale.ROOT);
            if (site.equals("cross-site") || site.equals("same-site")) {
                return Optional.of("cross-origin request refused: Sec-Fetch-Site is " + site
                                   + "; admin POSTs come from curl or the admin listener's own pages");
            }
        }
        if (origin.isEmpty()) {
            return Optional.empty();
        }
        if (own(origin.get().trim(), adminHost, port, host)) {
            return Optional.empty();
        }
        return Optional.of("cross-origin request refused: Origin " + origin.get().trim()
                           + " is not this admin listener (http://" + hostPart(adminHost) + ":" + port + ")");
    }

    private static boolean own(String origin, String adminHost, int port, Optional<String> hostHeader) {
        URI uri;
        try {
            uri = new URI(origin);
        } catch (URISyntaxException e) {
            return false;   // includes the opaque origin "null" of sandboxed frames and file: pages
        }
        boolean hasPath = uri.getRawPath() != null && !uri.getRawPath().isEmpty();
        if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null || hasPath) {
            return false;
        }
        int originPort = uri.getPort() == -1 ? 80 : uri.getPort();
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        if (originPort != port) {
            return LOOPBACK_NAMES.contains(host)
                   && hostHeader.map(value -> value.trim().toLowerCase(Locale.ROOT)).orElse("").equals(host + ":" + originPort);
        }
        return LOOPBACK_NAMES.contains(host) || host.equals(hostPart(adminHost).toLowerCase(Locale.ROOT));
    }

    /** An IPv6 literal as it appears in a URI's authority. */
    private static String hostPart(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }
}
