"""The container's header JSON: strict parsing and validation (docs/FORMAT.md, "Header JSON")."""
import json
import math

DTYPES = ("uint8", "uint16", "int16", "int32", "float32", "float64")
MAX_NDIM = 32
MAX_LEVELS = 31
MAX_NESTING = 80
INT32_MAX = 2 ** 31 - 1
INT64_MAX = 2 ** 63 - 1


class HeaderError(ValueError):
    """A header that breaks the format's rules (the reader adds the file and region)."""


def _pairs_hook(pairs):
    seen = set()
    for k, _ in pairs:
        if k in seen:
            raise HeaderError("header repeats the key '%s' in an object" % k)
        seen.add(k)
    return dict(pairs)


def _constant(name):
    raise HeaderError("header is not valid JSON: %s is not a JSON number" % name)


def _depth(value, limit):
    stack = [(value, 1)]
    while stack:
        v, d = stack.pop()
        if isinstance(v, (dict, list)):
            if d > limit:
                raise HeaderError("header is not valid JSON: nesting deeper than %d levels" % limit)
            children = v.values() if isinstance(v, dict) else v
            stack.extend((c, d + 1) for c in children)


def _int(value, what, low=-2 ** 31, high=INT32_MAX):
    if isinstance(value, bool) or not isinstance(value, int):
        raise HeaderError("'%s' must be an integer, found %s" % (what, json.dumps(value)))
    if value < low or value > high:
        raise HeaderError("'%s' must be an integer in [%d, %d], found %d" % (what, low, high, value))
    return value


def _obj(root, key, where=""):
    v = root.get(key) if isinstance(root, dict) else None
    if not isinstance(v, dict):
        raise HeaderError("'%s%s' must be a JSON object, found %s" % (where, key, json.dumps(v)))
    return v


def _str(value, what):
    if not isinstance(value, str):
        raise HeaderError("'%s' must be a string, found %s" % (what, json.dumps(value)))
    return value


def parse(data):
    """The header dict of the UTF-8 JSON ``data``, checked; raises HeaderError naming the problem."""
    try:
        text = data.decode("utf-8", errors="strict")
    except UnicodeDecodeError as e:
        raise HeaderError("header is not valid UTF-8: byte(s) at offset %d" % e.start) from None
    if text.lstrip(" \t\r\n")[:1] != "{":
        raise HeaderError("header is not a JSON object")
    try:
        root = json.loads(text, object_pairs_hook=_pairs_hook, parse_constant=_constant)
    except RecursionError:
        raise HeaderError("header is not valid JSON: nesting deeper than %d levels" % MAX_NESTING) from None
    except json.JSONDecodeError as e:
        raise HeaderError("header is not valid JSON: %s" % e) from None
    _depth(root, MAX_NESTING)
    shape = root.get("shape")
    if not isinstance(shape, list):
        raise HeaderError("'shape' must be a JSON array, found %s" % json.dumps(shape))
    if len(shape) > MAX_NDIM or len(shape) < 2:
        raise HeaderError("shape %s has %d axes; a container needs 2 to %d" % (shape, len(shape), MAX_NDIM))
    shape = tuple(_int(n, "shape[%d]" % i, 0) for i, n in enumerate(shape))
    if math.prod(shape) > INT64_MAX:
        raise HeaderError("shape %s has more than %d elements" % (list(shape), INT64_MAX))
    dtype = _str(root.get("dtype"), "dtype")
    if dtype not in DTYPES:
        raise HeaderError("dtype '%s' is not supported; allowed: %s" % (dtype, ", ".join(DTYPES)))
    layout = _obj(root, "layout")
    y = _int(layout.get("y"), "layout.y", 0)
    x = _int(layout.get("x"), "layout.x", 0)
    channel = _int(layout["channel"], "layout.channel", 0) if "channel" in layout else None
    axes = [y, x] + ([channel] if channel is not None else [])
    if len(set(axes)) != len(axes):
        raise HeaderError("layout %s: plane axes must be distinct" % json.dumps(layout))
    if max(axes) >= len(shape):
        raise HeaderError("layout %s needs at least %d axes; shape %s has %d" % (json.dumps(layout), max(axes) + 1,
                                                                               list(shape), len(shape)))
    if channel is not None and shape[channel] != 3:
        raise HeaderError("layout %s: the colour axis %d has length %d; RGB planes need 3" % (json.dumps(layout), channel,
                                                                                           shape[channel]))
    if shape[y] < 1 or shape[x] < 1:
        raise HeaderError("layout %s: planes must be at least 1x1, shape %s" % (json.dumps(layout), list(shape)))
    names = root.get("axis_names")
    if not isinstance(names, list):
        raise HeaderError("'axis_names' must be a JSON array, found %s" % json.dumps(names))
    names = tuple(_str(n, "axis_names[%d]" % i) for i, n in enumerate(names))
    if len(names) != len(shape):
        raise HeaderError("axis_names %s has %d names; shape %s has %d axes" % (list(names), len(names), list(shape),
                                                                               len(shape)))
    if any(not n for n in names):
        raise HeaderError("axis_names %s: every name must be non-empty" % list(names))
    if len(set(names)) != len(names):
        raise HeaderError("axis_names %s: a name appears twice" % list(names))
    codec = _obj(root, "codec")
    codec_id = _str(codec.get("id"), "codec.id")
    params = _obj(codec, "params", "codec.")
    params = {k: _str(v, "codec.params." + k) for k, v in params.items()}
    metadata = _obj(root, "metadata")
    tile = None
    if "tile_shape" in root:
        t = root["tile_shape"]
        if not isinstance(t, list) or len(t) != 2:
            raise HeaderError("'tile_shape' must be [height, width], found %s" % json.dumps(t))
        tile = (_int(t[0], "tile_shape[0]"), _int(t[1], "tile_shape[1]"))
        if tile[0] < 1 or tile[1] < 1:
            raise HeaderError("'tile_shape' %s: both sides must be >= 1" % json.dumps(t))
    levels = 0
    if "levels" in root:
        levels = _int(root["levels"], "levels")
        if levels < 1 or levels > MAX_LEVELS:
            raise HeaderError("'levels' %d is out of range [1, %d]" % (levels, MAX_LEVELS))
    downsampling = None
    if "downsampling" in root:
        downsampling = _str(root["downsampling"], "downsampling")
        if levels == 0:
            raise HeaderError("'downsampling' \"%s\" without 'levels': a file without reduced levels records no "
                              "downsampling" % downsampling)
        if downsampling not in ("mean", "nearest"):
            raise HeaderError("'downsampling' \"%s\" is not supported; allowed: mean, nearest" % downsampling)
    return {"shape": shape, "dtype": dtype, "y": y, "x": x, "channel": channel, "axis_names": names,
            "codec": codec_id, "params": params, "metadata": metadata, "tile_shape": tile, "levels": levels,
            "downsampling": downsampling}
