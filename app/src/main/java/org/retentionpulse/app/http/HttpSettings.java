package org.retentionpulse.app.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.retentionpulse.app.config.AppDefaults;
import org.retentionpulse.app.config.Settings;

/**
 * Settings of the HTTP server: where it listens, the optional bearer token guarding {@code /api/*}, and the
 * host other instances use to reach this one (Kafka Streams' {@code application.server}).
 *
 * @param bind address to listen on (default 127.0.0.1)
 * @param port port to listen on; 0 picks a free port
 * @param token bearer token required on {@code /api/*}, or empty for none; never logged
 * @param advertisedHost host name other instances reach this one by; empty = derived from {@code bind}
 */
public record HttpSettings(String bind, int port, String token, String advertisedHost) {

    public static HttpSettings from(Settings settings) {
        return new HttpSettings(settings.get(AppDefaults.HTTP_BIND), settings.getInt(AppDefaults.HTTP_PORT),
                settings.get(AppDefaults.HTTP_TOKEN, ""), settings.get(AppDefaults.HTTP_ADVERTISED_HOST, ""));
    }

    public HttpSettings {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("setting '" + AppDefaults.HTTP_PORT + "' must be 0..65535, was " + port);
        }
        token = token == null ? "" : token.trim();
        advertisedHost = advertisedHost == null ? "" : advertisedHost.trim();
    }

    /** The host to advertise: the setting, else the bind address, else (wildcard bind) this machine's name. */
    public String hostToAdvertise() {
        if (!advertisedHost.isEmpty()) {
            return advertisedHost;
        }
        if (!bind.equals("0.0.0.0") && !bind.equals("::")) {
            return bind;
        }
        try {
            return InetAddress.getLocalHost().getCanonicalHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    public boolean tokenRequired() {
        return !token.isEmpty();
    }

    @Override
    public String toString() {
        return "HttpSettings[bind=" + bind + ", port=" + port + ", token=" + (tokenRequired() ? "******" : "none")
                + ", advertisedHost=" + advertisedHost + "]";
    }
}
