/**
 * The benchmark harness behind {@code bin/bench} ({@link org.jpkl.bench.BenchMain}): sections that
 * measure each figure beside a baseline in the same run (the Python JPkl peer, bare ImageIO, Pillow),
 * the machine facts and the disturbance by other processes, and the report as Markdown and JSON.
 * Method and results: docs/PERFORMANCE.md.
 *
 * <p>Audience: developers measuring jpkl; not a library API (only {@code BenchMain} is public, as the
 * program's entry point).
 *
 * <p>Conventions: one measuring thread drives every section; sections that test parallel reads start
 * their own pools. Results are immutable rows; goals are informational and never change the exit code.
 */
package org.jpkl.bench;
