package org.jpkl.viewer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Which {@code Host} headers the viewer answers (the defence against DNS rebinding: a page from
 * elsewhere that makes its own name resolve to this machine still sends its own name as the host).
 *
 * <p>Accepted, with the server's port (or without a port when the server listens on port 80):
 * {@code localhost}, {@code [::1]}, a dotted-quad IPv4 literal in {@code 127.0.0.0/8} written
 * canonically (four decimal numbers 0-255 without leading zeros), and the hosts given with
 * {@code --allow-host}: {@code NAME} (with the server's port) or {@code NAME:PORT} (exactly that
 * port, e.g. for an SSH tunnel). Names compare without regard to case; nothing else is accepted,
 * in particular no name that merely starts like a loopback address ({@code 127.0.0.1.nip.io}).
 *
 * <p>Thread safety: immutable.
 */
final class HostCheck {
    private final int port;
    private final List<String> allowedNames;
    private final List<String> allowedWithPort;

    /**
     * A check for a server listening on {@code port}, also accepting {@code allowedHosts}.
     *
     * @throws IllegalArgumentException if an allowed host is not {@code NAME} or {@code NAME:PORT}
     */
    HostCheck(int port, List<String> allowedHosts) {
        this.port = port;
        List<String> names = new ArrayList<>();
        List<String> withPort = new ArrayList<>();
        for (String host : allowedHosts) {
            String h = normalizeAllowed(host);
            (h.lastIndexOf(':') > h.lastIndexOf(']') ? withPort : names).add(h);
        }
        this.allowedNames = List.copyOf(names);
        this.allowedWithPort = List.copyOf(withPort);
    }

    /**
     * Validates and lower-cases one {@code --allow-host} value.
     *
     * @throws IllegalArgumentException naming the value and the allowed forms
     */
    static String normalizeAllowed(String host) {
        Objects.requireNonNull(host, "host");
        String h = host.toLowerCase(Locale.ROOT);
        int colon = h.lastIndexOf(':');
        String name = h;
        if (colon > h.lastIndexOf(']')) {
            name = h.substring(0, colon);
            String p = h.substring(colon + 1);
            if (!isCanonicalDecimal(p, 65535) || p.equals("0")) {
                throw new IllegalArgumentException("allowed host (" + host + "): the port must be an integer in [1, 65535]");
            }
        }
        boolean bracketed = name.length() > 2 && name.startsWith("[") && name.endsWith("]")
                && name.chars().skip(1).limit(name.length() - 2L).allMatch(c -> c == ':' || c == '.' || Character.digit(c, 16) >= 0);
        boolean plainName = !name.isEmpty() && !name.startsWith(".") && !name.startsWith("-")
                && name.chars().allMatch(c -> c == '.' || c == '-' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9');
        if (!bracketed && !plainName) {
            throw new IllegalArgumentException("allowed host (" + host + ") must be a host name, an IPv4 address or a bracketed"
                    + " IPv6 address, optionally with :PORT, e.g. myhost.example or myhost.example:8080");
        }
        return h;
    }

    /**
     * Checks the request's {@code Host} header values.
     *
     * @param values every {@code Host} header of the request (null or empty: none)
     * @return null if the request may be answered, else the HTTP status and why not (400 for a
     *         missing or repeated header, 403 for a foreign host)
     */
    Refusal refusal(List<String> values) {
        if (values == null || values.isEmpty()) {
            return new Refusal(400, "the Host header is missing");
        }
        if (values.size() > 1) {
            return new Refusal(400, "the Host header is given " + values.size() + " times");
        }
        String host = values.get(0).toLowerCase(Locale.ROOT);
        if (allowedWithPort.contains(host) || allowed(host)) {
            return null;
        }
        return new Refusal(403, "host " + ViewerHandler.truncate(values.get(0)) + " is not allowed: this viewer answers to"
                + " localhost, 127.0.0.1 and [::1] on port " + port + " and to the hosts given with --allow-host");
    }

    /** Why a request is not answered: its HTTP status and a short message. */
    record Refusal(int status, String message) {
    }

    private boolean allowed(String host) {
        int colon = host.lastIndexOf(':');
        String name = host;
        if (colon > host.lastIndexOf(']')) {
            name = host.substring(0, colon);
            String p = host.substring(colon + 1);
            if (!isCanonicalDecimal(p, 65535) || Integer.parseInt(p) != port) {
                return false;
            }
        } else if (port != 80) {
            return false;
        }
        return name.equals("localhost") || name.equals("[::1]") || isLoopbackIpv4(name) || allowedNames.contains(name);
    }

    /** A dotted-quad literal in 127.0.0.0/8, each part 0-255 in decimal without leading zeros. */
    static boolean isLoopbackIpv4(String name) {
        String[] parts = name.split("\\.", -1);
        if (parts.length != 4 || !parts[0].equals("127")) {
            return false;
        }
        for (String part : parts) {
            if (!isCanonicalDecimal(part, 255)) {
                return false;
            }
        }
        return true;
    }

    /** {@code text} is a decimal number in [0, max] without sign or leading zeros. */
    private static boolean isCanonicalDecimal(String text, int max) {
        if (text.isEmpty() || text.length() > 5 || text.length() > 1 && text.charAt(0) == '0') {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return Integer.parseInt(text) <= max;
    }
}
