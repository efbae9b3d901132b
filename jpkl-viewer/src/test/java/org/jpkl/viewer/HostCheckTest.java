package org.jpkl.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The Host header rule against DNS rebinding (issue 19, point 6), form by form. */
class HostCheckTest {
    private static final HostCheck PLAIN = new HostCheck(8123, List.of());

    private static void accepted(HostCheck check, String host) {
        assertNull(check.refusal(List.of(host)), host);
    }

    private static void refused(HostCheck check, String host) {
        HostCheck.Refusal r = check.refusal(List.of(host));
        assertTrue(r != null && r.status() == 403, host + " -> " + r);
    }

    @Test
    void onlyExactLoopbackFormsWithTheServersPort() {
        for (String host : new String[] {"localhost:8123", "LOCALHOST:8123", "127.0.0.1:8123", "127.1.2.3:8123", "127.255.255.255:8123",
            "[::1]:8123"}) {
            accepted(PLAIN, host);
        }
        for (String host : new String[] {"127.attacker.example:8123", "127.0.0.1.nip.io:8123", "127.0.0.1.nip.io", "localhost.evil:8123",
            "evil.localhost:8123", "localhost.:8123", "127.0.0.1", "localhost", "[::1]", "127.0.0.1:80", "127.0.0.1:08123",
            "127.0.0.1:+8123", "127.0.0.1:8123:8123", "127.0.0.256:8123", "127.0.0.01:8123", "127.0.1:8123", "127.1:8123",
            "0x7f.0.0.1:8123", "2130706433:8123", "127.0.0.1.:8123", "127..0.1:8123", "128.0.0.1:8123", "0.0.0.0:8123",
            "[::ffff:127.0.0.1]:8123", "[0:0:0:0:0:0:0:1]:8123", "[::1]x:8123", "::1:8123", "", ":8123", "attacker.example:8123",
            "127.0.0.1:8123 attacker.example", "user@127.0.0.1:8123"}) {
            refused(PLAIN, host);
        }
        assertEquals("host 'attacker.example:8123' is not allowed: this viewer answers to localhost, 127.0.0.1 and [::1] on port 8123"
                + " and to the hosts given with --allow-host", PLAIN.refusal(List.of("attacker.example:8123")).message());
    }

    @Test
    void port80MayBeLeftOut() {
        HostCheck on80 = new HostCheck(80, List.of());
        accepted(on80, "localhost");
        accepted(on80, "127.0.0.1");
        accepted(on80, "localhost:80");
        refused(on80, "localhost:8080");
    }

    @Test
    void missingOrRepeatedHostIsABadRequest() {
        assertEquals(new HostCheck.Refusal(400, "the Host header is missing"), PLAIN.refusal(null));
        assertEquals(new HostCheck.Refusal(400, "the Host header is missing"), PLAIN.refusal(List.of()));
        assertEquals(new HostCheck.Refusal(400, "the Host header is given 2 times"),
                PLAIN.refusal(List.of("127.0.0.1:8123", "127.0.0.1:8123")));
    }

    @Test
    void allowedHostsWithTheServersPortOrTheirOwn() {
        HostCheck check = new HostCheck(8123, List.of(HostCheck.normalizeAllowed("Viewer.Example"),
                HostCheck.normalizeAllowed("tunnel.example:9000"), HostCheck.normalizeAllowed("[fe80::1]"),
                HostCheck.normalizeAllowed("192.168.1.5")));
        accepted(check, "viewer.example:8123");
        accepted(check, "VIEWER.EXAMPLE:8123");
        accepted(check, "tunnel.example:9000");
        accepted(check, "[fe80::1]:8123");
        accepted(check, "192.168.1.5:8123");
        accepted(check, "localhost:8123");
        refused(check, "viewer.example:9000");
        refused(check, "viewer.example");
        refused(check, "tunnel.example:8123");
        refused(check, "viewer.example.evil:8123");
        refused(check, "192.168.1.5.nip.io:8123");
    }

    @Test
    void badAllowedHostsAreRefusedNamingTheValue() {
        for (String bad : new String[] {"", "a b", "evil/x", "host:0", "host:65536", "host:x", ".example", "-x", "[zz::1]", "[]", "a@b",
            "host:"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HostCheck.normalizeAllowed(bad), bad);
            assertTrue(e.getMessage().startsWith("allowed host (" + bad + ")"), e.getMessage());
        }
        assertEquals("myhost:8080", HostCheck.normalizeAllowed("MyHost:8080"));
    }

    @Test
    void loopbackLiteralsAreCanonicalDottedQuads() {
        assertTrue(HostCheck.isLoopbackIpv4("127.0.0.1"));
        assertTrue(HostCheck.isLoopbackIpv4("127.10.200.255"));
        assertFalse(HostCheck.isLoopbackIpv4("127.0.0.1.nip.io"));
        assertFalse(HostCheck.isLoopbackIpv4("127.0.0.0001"));
        assertFalse(HostCheck.isLoopbackIpv4("127.0.0.-1"));
        assertFalse(HostCheck.isLoopbackIpv4("127.0.0."));
    }
}
