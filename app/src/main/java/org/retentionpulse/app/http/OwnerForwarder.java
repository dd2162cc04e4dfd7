package org.retentionpulse.app.http;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Sends a request to the instance that owns the data (found with Kafka Streams' query metadata) and
 * returns its answer unchanged. The forwarded request carries {@link ApiServer#FORWARDED_HEADER} and the
 * bearer token; the owner answers it locally or with 503, never forwards it again, so a request can
 * never loop between instances whose views of the assignment disagree during a rebalance.
 */
final class OwnerForwarder {
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ApiServer server;

    OwnerForwarder(ApiServer server) {
        this.server = server;
    }

    /** Whether {@code host} is this instance. */
    boolean isSelf(HostInfo host) {
        return (host.host() + ":" + host.port()).equals(server.advertised());
    }

    ApiServer.Reply forward(HostInfo owner, ApiServer.Request request) {
        if (request.forwarded()) {
            throw ApiException.unavailable("this instance does not own the data any more (rebalance in progress); retry");
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://" + owner.host() + ":" + owner.port()
                        + request.pathAndQuery()))
                .timeout(Duration.ofSeconds(10))
                .header(ApiServer.FORWARDED_HEADER, server.advertised())
                .GET();
        String authorization = server.authorizationHeader();
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        try {
            HttpResponse<byte[]> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
            String type = response.headers().firstValue("Content-Type").orElse("application/json");
            return new ApiServer.Reply(response.statusCode(), type, response.body());
        } catch (IOException e) {
            throw ApiException.unavailable("owner " + owner.host() + ":" + owner.port() + " unavailable: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("interrupted while asking " + owner.host() + ":" + owner.port());
        }
    }
}
