package org.jpkl.api.io;

import java.io.IOException;

/**
 * A remote object was replaced, shortened or removed after it was opened: reading on would mix two
 * versions, so the read fails instead. The message names the object and what changed (version tag,
 * size, or removal). Reopening reads the new version.
 */
public class ObjectChangedException extends IOException {
    private static final long serialVersionUID = 1L;

    /** With a message naming the object and what changed. */
    public ObjectChangedException(String message) {
        super(message);
    }

    /** With a message naming the object and what changed, and the failure that showed it. */
    public ObjectChangedException(String message, Throwable cause) {
        super(message, cause);
    }
}
