/**
 * Test support shipped in {@code jpkl-api}'s test-jar: the codec contract test
 * {@link org.jpkl.api.testing.AbstractSliceCodecTest}, test codecs ({@link org.jpkl.api.testing.IdentityCodec},
 * {@link org.jpkl.api.testing.ConstantCodec}, {@link org.jpkl.api.testing.RestrictedCodec}), deterministic
 * planes ({@link org.jpkl.api.testing.TestPlanes}), a byte-counting source, special files, a loopback
 * HTTP proxy that injects faults for remote-storage tests ({@link org.jpkl.api.testing.FaultProxy}), and
 * {@link org.jpkl.api.testing.OptionalPieces}, the one skip-or-fail-under-CI rule for tests that need an
 * optional system piece.
 *
 * <p>Audience: tests of codecs and serializers, built-in or third-party (depend on the test-jar in
 * test scope). Not for production code.
 *
 * <p>Conventions: test codecs follow the SPI's rules (thread-safe codecs, one encoder or decoder per
 * thread); helpers are stateless.
 */
package org.jpkl.api.testing;
