package org.jpkl;

import java.io.IOException;
import java.util.List;

/**
 * A container needs a codec or serializer that is not on the class path (or not available on this
 * machine). The file itself may be fine: add the provider's jar, or use a class loader that sees it.
 *
 * <p>Thread safety: immutable.
 */
public final class MissingProviderException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String providerId;
    private final List<String> availableIds;

    MissingProviderException(String source, String kind, String providerId, List<String> availableIds, String hint) {
        super(source + ": needs " + kind + " '" + providerId + "', which is not available; available: " + availableIds
                + ". " + hint);
        this.providerId = providerId;
        this.availableIds = List.copyOf(availableIds);
    }

    /** The id of the missing codec or serializer. */
    public String providerId() {
        return providerId;
    }

    /** The ids that are available. */
    public List<String> availableIds() {
        return availableIds;
    }
}
