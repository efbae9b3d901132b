package org.jpkl.api.spi;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Executor;
import org.jpkl.api.io.RandomAccessSource;
import org.jpkl.api.io.SequentialOutput;

/**
 * An immutable snapshot of the available {@link StorageProvider}s, built like {@link SliceCodecs}
 * (from a {@link ClassLoader}, or explicitly; never a global registry), with the provider options
 * given when it was built.
 *
 * <p>Thread safety: immutable.
 */
public final class StorageProviders {
    private final ProviderIndex<StorageProvider> index;
    private final Map<String, StorageProvider> byScheme;
    private final ProviderOptions options;

    private StorageProviders(ProviderIndex<StorageProvider> index, ProviderOptions options) {
        this.index = index;
        Map<String, StorageProvider> schemes = new TreeMap<>();
        for (StorageProvider p : index.all()) {
            for (String scheme : p.schemes()) {
                String key = scheme.toLowerCase(Locale.ROOT);
                if (key.equals("file")) {
                    throw new IllegalStateException("storage provider '" + p.id() + "' (" + p.getClass().getName()
                            + ") claims the scheme 'file', which is always read as a local file");
                }
                StorageProvider previous = schemes.put(key, p);
                if (previous != null) {
                    throw new IllegalStateException("two storage providers read the scheme '" + key + "': '" + previous.id()
                            + "' (" + previous.getClass().getName() + ") and '" + p.id() + "' (" + p.getClass().getName()
                            + "); remove one of their jars from the class path");
                }
            }
        }
        this.byScheme = Collections.unmodifiableMap(schemes);
        this.options = checkOptions(options);
    }

    /** Scans {@code loader} for {@code META-INF/services/org.jpkl.api.spi.StorageProvider} entries. */
    public static StorageProviders load(ClassLoader loader) {
        return new StorageProviders(ProviderIndex.load("StorageProvider", StorageProvider.class,
                Objects.requireNonNull(loader, "loader"), StorageProvider::id), ProviderOptions.empty());
    }

    /** Scans the thread's context class loader, or this library's loader when there is none. */
    public static StorageProviders load() {
        return load(ProviderIndex.defaultLoader(StorageProviders.class));
    }

    /** Exactly these providers, no scanning. */
    public static StorageProviders of(StorageProvider... providers) {
        return new StorageProviders(ProviderIndex.of("StorageProvider", List.of(providers), List.of(), StorageProvider::id),
                ProviderOptions.empty());
    }

    /**
     * These providers with {@code options} (replacing the options of this snapshot, which is not changed).
     *
     * @throws IllegalArgumentException for a key no provider declares, naming the key and every
     *     provider's keys
     */
    public StorageProviders withOptions(ProviderOptions options) {
        return new StorageProviders(index, Objects.requireNonNull(options, "options"));
    }

    private ProviderOptions checkOptions(ProviderOptions given) {
        Map<String, Set<String>> known = new TreeMap<>();
        for (StorageProvider p : index.all()) {
            known.put(p.id(), new TreeSet<>(p.optionKeys()));
        }
        for (String key : given.keys()) {
            boolean declared = known.values().stream().anyMatch(keys -> keys.contains(key));
            if (!declared) {
                throw new IllegalArgumentException("storage option '" + key + "' is not known; storage providers take " + known);
            }
        }
        return given;
    }

    /** All providers, sorted by id. */
    public List<StorageProvider> all() {
        return index.all();
    }

    /** All ids, sorted. */
    public List<String> ids() {
        return index.ids();
    }

    /** Every scheme some provider reads, sorted. */
    public Set<String> schemes() {
        return byScheme.keySet();
    }

    /** The options given to the providers. */
    public ProviderOptions options() {
        return options;
    }

    /** The provider for this scheme (case-insensitive). */
    public Optional<StorageProvider> forScheme(String scheme) {
        return Optional.ofNullable(byScheme.get(Objects.requireNonNull(scheme, "scheme").toLowerCase(Locale.ROOT)));
    }

    /**
     * Opens the object {@code uri} names through the provider of its scheme, with this snapshot's
     * options for that provider.
     *
     * @throws IllegalArgumentException if the URI is not absolute, or no provider reads its scheme
     *     (naming the schemes that are read), or the provider is not available here (with its reason)
     */
    public RandomAccessSource open(URI uri) throws IOException {
        StorageProvider provider = provider(uri);
        return provider.openSource(uri, options.only(provider.optionKeys()));
    }

    /**
     * Starts writing the object {@code uri} names through the provider of its scheme, with this
     * snapshot's options for that provider ({@link StorageProvider#openOutput}).
     *
     * @param executor runs the provider's background work (e.g. part uploads)
     * @throws IllegalArgumentException as for {@link #checkWritable(URI)}
     */
    public SequentialOutput create(URI uri, Executor executor) throws IOException {
        Objects.requireNonNull(executor, "executor");
        StorageProvider provider = writer(uri);
        return provider.openOutput(uri, options.only(provider.optionKeys()), executor);
    }

    /**
     * Checks, without any request, that {@link #create} can start writing {@code uri}: some
     * available provider reads its scheme and can write. (Whether the store then accepts the object,
     * e.g. the bucket exists and the credentials allow it, is known only when writing.)
     *
     * @throws IllegalArgumentException as for {@link #open(URI)}, or if the provider cannot write,
     *     naming the schemes that can be written
     */
    public void checkWritable(URI uri) {
        writer(uri);
    }

    /** The available provider of the URI's scheme, which must write. */
    private StorageProvider writer(URI uri) {
        StorageProvider provider = provider(uri);
        if (!provider.canWrite()) {
            List<String> writable = new ArrayList<>();
            byScheme.forEach((scheme, p) -> {
                if (p.canWrite()) {
                    writable.add(scheme);
                }
            });
            throw new IllegalArgumentException("storage provider '" + provider.id() + "' reads '" + uri
                    + "' but does not support writes; schemes written: " + writable + " and file");
        }
        return provider;
    }

    /**
     * The objects directly in the folder {@code folder} names, through the provider of its scheme
     * ({@link StorageProvider#list}), with this snapshot's options for that provider; in the
     * provider's order.
     *
     * @throws IllegalArgumentException as for {@link #open(URI)}; if the URI's path does not end with
     *     {@code /} (a folder); or if the provider cannot list, naming the URI and the schemes that are listed
     */
    public List<URI> list(URI folder) throws IOException {
        StorageProvider provider = provider(folder);
        String path = folder.getPath();
        if (path != null && !path.isEmpty() && !path.endsWith("/")) {
            throw new IllegalArgumentException("'" + folder + "' names no folder: a folder's URI ends with /");
        }
        if (!provider.canList()) {
            List<String> listed = new ArrayList<>();
            byScheme.forEach((scheme, p) -> {
                if (p.canList()) {
                    listed.add(scheme);
                }
            });
            throw new IllegalArgumentException("storage provider '" + provider.id() + "' cannot list the folder '" + folder
                    + "' (" + new TreeSet<>(provider.schemes()) + " URIs have no listing): name its objects one by one; schemes listed: "
                    + listed + " and file");
        }
        return List.copyOf(provider.list(folder, options.only(provider.optionKeys())));
    }

    /** The available provider of the URI's scheme. */
    private StorageProvider provider(URI uri) {
        Objects.requireNonNull(uri, "uri");
        if (uri.getScheme() == null) {
            throw new IllegalArgumentException("URI '" + uri + "' has no scheme; give a file path or a URI such as "
                    + (byScheme.isEmpty() ? "file:/data/stack.jpkl" : byScheme.keySet().iterator().next() + "://..."));
        }
        StorageProvider provider = forScheme(uri.getScheme()).orElseThrow(() -> new IllegalArgumentException(
                "no storage provider reads '" + uri.getScheme() + "' URIs such as '" + uri + "'; schemes read: "
                        + new ArrayList<>(byScheme.keySet()) + " and file" + (index.problems().isEmpty() ? ""
                        : "; discovery problems: " + index.problems())));
        Availability availability = provider.availability();
        if (!availability.isAvailable()) {
            throw new IllegalArgumentException("storage provider '" + provider.id() + "' for '" + uri + "' is not available here: "
                    + availability.reason().orElse("no reason given"));
        }
        return provider;
    }

    /** Problems met while scanning, empty when all loaded. */
    public List<String> problems() {
        return index.problems();
    }

    @Override
    public String toString() {
        return "StorageProviders" + index.ids();
    }
}
