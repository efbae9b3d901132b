package org.jpkl.api;

import java.util.regex.Pattern;

/**
 * The one rule for provider ids (codec and serializer ids, as stored in container headers and
 * typed on the command line): 1 to 64 of lower case letters, digits, '.', '_' and '-', starting
 * with a letter or digit. Stateless; thread-safe.
 */
public final class ProviderIds {
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    private ProviderIds() {
    }

    /**
     * Checks a provider id.
     *
     * @return {@code id}
     * @throws IllegalArgumentException naming the id and the rule (also for {@code null})
     */
    public static String check(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("id '" + id + "' is not valid: use 1 to 64 of [a-z0-9._-], starting with a letter or digit");
        }
        return id;
    }
}
