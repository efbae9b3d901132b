"""NumPy basic indexing, with the same rules and errors as the Java library's ``Selection``.

Items: integers (Python ints and anything with ``__index__``, negative from the end), slices,
``...`` (at most one) and ``None`` / ``np.newaxis``. Integer arrays, lists and booleans (advanced
indexing) are refused with a TypeError, as the Java library refuses them.
"""
import operator


class Selection:
    """A resolved index over a shape.

    ``axes[a]`` is ``("int", i)`` or ``("slice", start, step, count)`` for source axis ``a``;
    ``shape`` is the result's shape; ``kept_shape`` has one length per source axis (1 for an integer),
    the layout the reader fills before reshaping to ``shape``.
    """

    def __init__(self, axes, shape):
        self.axes = axes
        self.shape = shape
        self.kept_shape = tuple(1 if a[0] == "int" else a[3] for a in axes)

    def positions(self, axis):
        """The source positions selected on ``axis``, in result order."""
        a = self.axes[axis]
        if a[0] == "int":
            return range(a[1], a[1] + 1)
        return range(a[1], a[1] + a[2] * a[3], a[2])

    def size(self):
        n = 1
        for d in self.shape:
            n *= d
        return n


def _describe(key):
    return repr(key)


def resolve(key, shape):
    """The Selection of ``key`` (what ``a[key]`` receives) over ``shape``; raises IndexError, ValueError or TypeError."""
    items = key if isinstance(key, tuple) else (key,)
    ndim = len(shape)
    kinds = []
    ellipses = 0
    consuming = 0
    for item in items:
        if item is Ellipsis:
            ellipses += 1
            kinds.append("e")
        elif item is None:
            kinds.append("n")
        elif isinstance(item, slice):
            consuming += 1
            kinds.append("s")
        elif isinstance(item, bool) or type(item).__name__ == "bool_":
            raise TypeError("index %s: boolean indexing is not supported; only basic indexing (integers, slices, ..., "
                            "None)" % _describe(key))
        else:
            try:
                operator.index(item)
            except TypeError:
                raise TypeError("index %s: %s is not supported; only basic indexing (integers, slices, ..., None); "
                                "advanced (array) indexing is not" % (_describe(key), type(item).__name__)) from None
            consuming += 1
            kinds.append("i")
    if ellipses > 1:
        raise IndexError("an index can only have a single ellipsis ('...')")
    if consuming > ndim:
        raise IndexError("too many indices for array: array is %d-dimensional, but %d were indexed" % (ndim, consuming))
    axes = []
    out = []
    axis = 0
    for item, kind in zip(items, kinds):
        if kind == "n":
            out.append(1)
        elif kind == "e":
            for _ in range(ndim - consuming):
                n = shape[axis]
                axes.append(("slice", 0, 1, n))
                out.append(n)
                axis += 1
        elif kind == "i":
            i = operator.index(item)
            n = shape[axis]
            if i < -n or i >= n:
                raise IndexError("index %d is out of bounds for axis %d with size %d" % (i, axis, n))
            axes.append(("int", i + n if i < 0 else i))
            axis += 1
        else:
            n = shape[axis]
            for part in (item.start, item.stop, item.step):
                if part is not None:
                    try:
                        operator.index(part)
                    except TypeError:
                        raise TypeError("slice indices must be integers or None or have an __index__ method") from None
            if item.step is not None and operator.index(item.step) == 0:
                raise ValueError("slice step cannot be zero")
            start, stop, step = item.indices(n)
            count = len(range(start, stop, step))
            axes.append(("slice", start if count else 0, step, count))
            out.append(count)
            axis += 1
    while axis < ndim:
        axes.append(("slice", 0, 1, shape[axis]))
        out.append(shape[axis])
        axis += 1
    return Selection(tuple(axes), tuple(out))
