/**
 * The ZIP container serializer ({@link org.jpkl.zip.ZipSerializer}, id {@code zip}): a container
 * as a ZIP archive any zip tool reads, with one stored entry per slice and a JSON header entry.
 */
package org.jpkl.zip;
