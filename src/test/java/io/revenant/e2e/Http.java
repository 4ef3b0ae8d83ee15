package io.revenant.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

import io.revenant.stack.WorkerReply;

/** Plain HTTP/1.1 calls of the tests, JSON identity answers parsed. */
final class Http {

    /** Longer than nginx's whole retry budget (read timeout 11 s + connects), so nginx decides, not us. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    /** Status and body of one request. */
    record Answer(int status, String body) {

        Optional<WorkerReply> worker() {
            return status == 200 || status == 202 ? WorkerReply.parse(body) : Optional.empty();
        }
    }

    Answer get(URI uri) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri).GET());
    }

    Answer post(URI uri) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.noBody()));
    }

    /** {@code GET} that never throws: empty when the call failed in any way. */
    Optional<WorkerReply> identify(URI uri) {
        try {
            return get(uri).worker();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private Answer send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(
                request.timeout(REQUEST_TIMEOUT).header("Accept", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body());
    }
}
