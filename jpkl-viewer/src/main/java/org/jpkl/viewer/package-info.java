/**
 * A web viewer for jpkl containers: {@link org.jpkl.viewer.ViewerServer} serves a static,
 * dependency-free page and a read-only API of slices; {@link org.jpkl.viewer.ViewerMain} runs it from
 * the command line. See {@code docs/VIEWER.md}.
 *
 * <p>Audience: {@code ViewerServer} and {@code ViewerMain} are public for programs and the command
 * line's {@code view}; request handling, host checks and time limits are internal.
 *
 * <p>Conventions: the server owns the arrays it opens and closes them when stopped; requests are
 * served concurrently on its own executor (one served file is safe for concurrent reads); it binds
 * to loopback unless told otherwise and answers only the {@code Host} names it allows.
 */
package org.jpkl.viewer;
