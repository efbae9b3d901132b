package org.jpkl.api.spi;

import org.jpkl.api.ProviderIds;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * An immutable id-to-provider map shared by {@link SliceCodecs} and {@link ContainerSerializers}:
 * discovery through {@link ServiceLoader}, sorted ids, duplicate detection, problem reporting.
 */
final class ProviderIndex<T> {
    private final String kind;
    private final Map<String, T> byId;
    private final List<String> problems;

    private ProviderIndex(String kind, Map<String, T> byId, List<String> problems) {
        this.kind = kind;
        this.byId = Collections.unmodifiableMap(byId);
        this.problems = List.copyOf(problems);
    }

    static <T> ProviderIndex<T> load(String kind, Class<T> type, ClassLoader loader, Function<T, String> id) {
        List<T> found = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Iterator<T> it = ServiceLoader.load(type, loader).iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                found.add(it.next());
            } catch (ServiceConfigurationError e) {
                // One broken plugin jar must not hide the others; the problem is reported instead.
                problems.add(e.getMessage() + (e.getCause() == null ? "" : " (" + e.getCause() + ")"));
            }
        }
        return of(kind, found, problems, id);
    }

    static <T> ProviderIndex<T> of(String kind, List<T> providers, List<String> problems, Function<T, String> id) {
        Map<String, T> byId = new TreeMap<>();
        for (T p : providers) {
            String key = ProviderIds.check(id.apply(p));
            T previous = byId.put(key, p);
            if (previous != null) {
                throw new IllegalStateException("two " + kind + "s have the id '" + key + "': "
                        + previous.getClass().getName() + " and " + p.getClass().getName()
                        + "; remove one of their jars from the class path");
            }
        }
        return new ProviderIndex<>(kind, byId, problems);
    }

    List<T> all() {
        return List.copyOf(byId.values());
    }

    List<String> ids() {
        return List.copyOf(byId.keySet());
    }

    Optional<T> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    String unknownMessage(String id) {
        return "No " + kind + " with id '" + id + "'; available: " + byId.keySet()
                + ". Add its jar to the class path" + (problems.isEmpty() ? "." : "; discovery problems: " + problems);
    }

    List<String> problems() {
        return problems;
    }

    static ClassLoader defaultLoader(Class<?> apiClass) {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : apiClass.getClassLoader();
    }
}
