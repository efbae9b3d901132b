/**
 * The {@code pickle} container serializer (a Python pickle that Python reads without jpkl), a
 * {@code ContainerSerializer} service provider; it exports no package.
 *
 * <p>Razorvine Pickle ({@code net.razorvine:pickle}) has neither a module descriptor nor an
 * {@code Automatic-Module-Name}, so it is required by the name derived from its file name,
 * {@code pickle}: a name that may change if the library ever declares one.
 */
@SuppressWarnings("requires-automatic")
module org.jpkl.pickle {
    requires org.jpkl.api;
    requires pickle;

    provides org.jpkl.api.spi.ContainerSerializer with org.jpkl.pickle.PickleSerializer;
}
