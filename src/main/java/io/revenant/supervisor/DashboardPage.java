package io.revenant.supervisor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import io.revenant.config.ChaosConfig;

/**
 * {@code GET /}: the dashboard, one self-contained HTML page from the jar (styles and script
 * inline, nothing fetched from elsewhere, so it works offline and behind any firewall). The
 * page reads {@code /status} and {@code /events} itself; the server only tells it whether the
 * kill button exists and whether it must ask for a token (never the token).
 */
final class DashboardPage implements Handler {

    private static final String RESOURCE = "dashboard.html";
    /**
     * Only this page's own inline code and requests to this listener; no framing, so that no
     * other site can overlay the kill and reload buttons (clickjacking).
     */
    private static final String POLICY = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
                                          + "connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'; "
                                          + "base-uri 'none'; form-action 'none'";

    private final byte[] page;

    DashboardPage(ChaosConfig chaos) {
        this.page = render(template(), chaos).getBytes(StandardCharsets.UTF_8);
    }

    /** The template with the chaos settings filled in. */
    static String render(String template, ChaosConfig chaos) {
        return template.replace("{{CHAOS}}", chaos.killEndpoint() ? "on" : "off")
                .replace("{{TOKEN}}", chaos.token().isPresent() ? "required" : "none");
    }

    static String template() {
        try (InputStream in = DashboardPage.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.CONTENT_TYPE, "text/html; charset=utf-8")
                .header(HeaderNames.CACHE_CONTROL, "no-store")
                .header(HeaderNames.create("Content-Security-Policy"), POLICY)
                .header(HeaderNames.create("X-Content-Type-Options"), "nosniff");
        res.send(page);
    }
}
