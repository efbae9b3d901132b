"""Read jpkl files from Python: a lazy, read-only NumPy-indexed array (docs/PYTHON.md).

    import jpkl
    a = jpkl.open("stack.jpkl")
    plane = a[:, :, 3, 0]

Pure Python over NumPy; Pillow decodes ``jpeg`` and ``png`` slices, ``zlib`` ``deflate`` and the
``zstandard`` module ``zstd`` (each needed only for its codec).
"""
from ._array import JpklArray, open
from ._codecs import MissingCodecError
from ._crc32c import crc32c
from ._errors import JpklError

__all__ = ["open", "JpklArray", "JpklError", "MissingCodecError", "crc32c", "to_dask"]
__version__ = "0.1.0"


def to_dask(path_or_array, chunks=None, **open_options):
    """A dask array over a jpkl file (a path, or an open JpklArray), by default one chunk per slice (per tile when tiled)."""
    a = path_or_array if isinstance(path_or_array, JpklArray) else open(path_or_array, **open_options)
    return a.to_dask(chunks)
