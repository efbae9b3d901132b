/**
 * Test support shipped in {@code jpkl-core}'s test-jar: the serializer contract test
 * {@link org.jpkl.testing.AbstractContainerSerializerTest}, {@link org.jpkl.testing.ContainerFuzzer}
 * (mutates a valid container thousands of ways and accepts only the original data or
 * {@link org.jpkl.api.JpklFormatException}) and {@link org.jpkl.testing.SparseJpklFiles} (containers
 * with billions of slices as sparse files) and {@link org.jpkl.testing.RandomSelections} (random
 * NumPy index expressions, to compare a container's {@code get} with an in-memory array's).
 *
 * <p>Audience: tests of serializers and of code that reads containers, built-in or third-party
 * (depend on the test-jar in test scope). Not for production code.
 *
 * <p>Conventions: helpers are stateless; files they make live in the caller's temporary folder.
 */
package org.jpkl.testing;
