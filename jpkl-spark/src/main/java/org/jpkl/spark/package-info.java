/**
 * jpkl on Apache Spark: {@link org.jpkl.spark.SparkEncoder} encodes many input files (or one large
 * {@code .npy}, {@link org.jpkl.spark.StackFiles}) into one container with tasks encoding ranges of
 * slices in parallel; {@link org.jpkl.spark.SparkSlices} maps functions over the slices of a
 * container, partitioned by slice ranges (e.g. {@link org.jpkl.spark.PlaneStats}). See docs/SPARK.md.
 */
package org.jpkl.spark;
