/**
 * Runnable examples of the library's API: {@link org.jpkl.examples.Demo}, the README's end-to-end demo
 * (save a generated 5-D stack, reopen it lazily, read slices), and
 * {@link org.jpkl.examples.SyntheticStacks}, deterministic microscopy-like test stacks.
 *
 * <p>Audience: readers learning the API; the code is meant to be copied, not depended on.
 *
 * <p>Conventions: stateless; each example owns the files it writes.
 */
package org.jpkl.examples;
