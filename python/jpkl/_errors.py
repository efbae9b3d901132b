"""The one exception type of this package for damaged or unsupported files."""


class JpklError(Exception):
    """A jpkl file is damaged, truncated or not supported.

    The message starts with the file and the region, as the Java library's ``JpklFormatException``:
    ``"path/to/file.jpkl: slice 7 (key (1, 3)): CRC32C mismatch ..."``; ``source``, ``region`` and
    ``detail`` hold the three parts.
    """

    def __init__(self, source, region, detail):
        super().__init__("%s: %s: %s" % (source, region, detail))
        self.source = source
        self.region = region
        self.detail = detail
