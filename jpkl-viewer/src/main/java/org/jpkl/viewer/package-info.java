/**
 * A web viewer for jpkl containers: {@link org.jpkl.viewer.ViewerServer} serves a static,
 * dependency-free page and a read-only API of slices; {@link org.jpkl.viewer.ViewerMain} runs it from
 * the command line. See {@code docs/VIEWER.md}.
 */
package org.jpkl.viewer;
