package org.retentionpulse.app.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server of one instance (JDK {@code HttpServer}): binds on construction, so the port is known
 * before Kafka Streams is told its {@code application.server}; serves the routes added before
 * {@link #start()}. Routes under {@code /api/} require the bearer token when one is configured. Every
 * error is a JSON object {@code {"status":..., "error":...}} with the matching status code.
 */
public final class ApiServer implements AutoCloseable {
    /** Marks a request one instance forwarded to the owner of the data, so it is never forwarded again. */
    public static final String FORWARDED_HEADER = "X-Retention-Pulse-Forwarded";

    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final HttpSettings settings;
    private final ExecutorService executor;
    private final byte[] token;

    /** One request as the routes see it. */
    public record Request(String method, String path, String rawQuery, Map<String, String> query, HttpExchange exchange) {
        public String header(String name) {
            return exchange.getRequestHeaders().getFirst(name);
        }

        public boolean forwarded() {
            return header(FORWARDED_HEADER) != null;
        }

        /** The path and query, as sent to another instance. */
        public String pathAndQuery() {
            return rawQuery == null ? path : path + '?' + rawQuery;
        }
    }

    /** A response: status, content type and body. */
    public record Reply(int status, String contentType, byte[] body) {
        public static Reply json(int status, Object value) {
            try {
                return new Reply(status, "application/json", JSON.writeValueAsBytes(value));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Answers a request (throwing {@link ApiException} for an error response). */
    @FunctionalInterface
    public interface Route {
        Reply handle(Request request) throws Exception;
    }

    public ApiServer(HttpSettings settings) throws IOException {
        this.settings = settings;
        this.server = HttpServer.create(new InetSocketAddress(settings.bind(), settings.port()), 0);
        this.executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "retention-pulse-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        this.token = settings.token().getBytes(StandardCharsets.UTF_8);
    }

    /** The port actually bound (the chosen one when the setting was 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code host:port} other instances reach this one by. */
    public String advertised() {
        return settings.hostToAdvertise() + ":" + port();
    }

    /** Base URL for people: the advertised host and the bound port. */
    public String url() {
        return "http://" + advertised();
    }

    /** Serves {@code path} (exactly, or as a prefix when it ends in '/'), GET only. */
    public ApiServer route(String path, Route route) {
        boolean guarded = path.startsWith("/api/");
        server.createContext(path, exchange -> serve(exchange, path, guarded, route));
        return this;
    }

    public ApiServer start() {
        server.start();
        log.info("HTTP server on {}:{} (advertised {}), API token {}", settings.bind(), port(), advertised(),
                settings.tokenRequired() ? "required" : "not required");
        return this;
    }

    private void serve(HttpExchange exchange, String context, boolean guarded, Route route) {
        Reply reply;
        try {
            String path = exchange.getRequestURI().getPath();
            if (!context.endsWith("/") && !path.equals(context)) {
                throw ApiException.notFound("no such path: " + path);
            }
            if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
                throw new ApiException(405, "only GET is supported");
            }
            if (guarded && !authorized(exchange.getRequestHeaders().getFirst("Authorization"))) {
                exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"retention-pulse\"");
                throw new ApiException(401, "missing or wrong bearer token");
            }
            String rawQuery = exchange.getRequestURI().getRawQuery();
            reply = route.handle(new Request(exchange.getRequestMethod(), path, rawQuery, parseQuery(rawQuery), exchange));
        } catch (ApiException e) {
            reply = error(e.status(), e.getMessage());
        } catch (Exception e) {
            log.warn("HTTP {} failed", exchange.getRequestURI().getPath(), e);
            reply = error(500, "internal error: " + e.getClass().getSimpleName());
        }
        try (exchange) {
            exchange.getResponseHeaders().set("Content-Type", reply.contentType());
            boolean head = exchange.getRequestMethod().equals("HEAD");
            exchange.sendResponseHeaders(reply.status(), head ? -1 : reply.body().length == 0 ? -1 : reply.body().length);
            if (!head && reply.body().length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(reply.body());
                }
            }
        } catch (IOException e) {
            log.debug("Client went away during {}", exchange.getRequestURI(), e);
        }
    }

    private boolean authorized(String header) {
        if (token.length == 0) {
            return true;
        }
        if (header == null || !header.startsWith("Bearer ")) {
            return false;
        }
        return MessageDigest.isEqual(token, header.substring("Bearer ".length()).trim().getBytes(StandardCharsets.UTF_8));
    }

    /** Adds the bearer token (when configured) to a request to another instance. */
    public String authorizationHeader() {
        return settings.tokenRequired() ? "Bearer " + settings.token() : null;
    }

    static Reply error(int status, String message) {
        ObjectNode body = JSON.createObjectNode();
        body.put("status", status);
        body.put("error", message);
        return Reply.json(status, body);
    }

    static Map<String, String> parseQuery(String rawQuery) {
        Map<String, String> out = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return out;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            if (out.putIfAbsent(name, value) != null) {
                throw ApiException.badRequest("parameter '" + name + "' given twice");
            }
        }
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(Duration.ofSeconds(5).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
