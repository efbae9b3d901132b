#!/usr/bin/env python3
"""Generates numpy_indexing_fixture.json: NumPy's own answers for jpkl's indexing conformance tests.

For every case, the array is np.arange(prod(shape)).reshape(shape), so each value of a result is
the C-order flat index of the source element it came from. NumPy evaluates the expression exactly
as Python would (a[<expression>]), and the fixture records the result shape and values, or the
exception NumPy raised.

The fixture is checked in; the build does not need NumPy. To regenerate (any NumPy >= 1.20):

    python3 jpkl-api/src/test/resources/indexing/generate_fixture.py

run from the repository root (or pass the output path as the only argument). Review the diff: a
changed expected value means NumPy changed or an expression was edited.

Sections of the fixture:
  cases       - expressions NumPy accepts and jpkl supports; jpkl must give the same shape and values.
  errors      - expressions NumPy rejects; jpkl must reject them too (the test maps the exception type).
  deviations  - expressions where jpkl deliberately differs from NumPy, each with the reason and
                what jpkl does instead ("jpkl" field, hand-written here).
"""

import json
import os
import sys

import numpy as np

SHAPES = {
    "3d": (4, 5, 6),
    "4d": (3, 4, 5, 6),
    "4d_rgb": (4, 5, 3, 6),
    "5d": (2, 3, 4, 3, 5),
    "edge": (1, 7, 1),
    "empty_axis": (0, 3, 4),
    "scalar": (),
}

HUGE = 10 ** 18
BEYOND_LONG = 10 ** 20
LONG_MAX = 2 ** 63 - 1
LONG_MIN = -(2 ** 63)

# Expressions that make sense on any array with at least one axis.
COMMON = [
    "", "...", ":", "::", "::-1", "0", "-1", "1,", "...,", "None", "None,", "None, ...", "..., None",
    "None, ..., None", "::2", "1::2", "::-2", "-2::-1", ":-1", "1:", "1:-1", "-2:", ":100", "-100:",
    "-100:100", "100:", "100:-100:-1", "-100:100:-1", "::100", "::-100", "2:1", "1:1", "-1:-3",
    f"-{HUGE}:{HUGE}", f"{HUGE}:-{HUGE}:-1", f"::{LONG_MAX}", f"::-{LONG_MAX}", f"{LONG_MIN}:{LONG_MAX}",
    f"::{LONG_MIN}", f"{BEYOND_LONG}:", f"-{BEYOND_LONG}:{BEYOND_LONG}", f"::-{BEYOND_LONG}",
    "None:None:None", "None:2", "::None", "np.newaxis", "numpy.newaxis", "newaxis", "Ellipsis",
    "  0  ", " : ", "- 1", "+0", "-0", "00", "0_0", ": - 1", "\t::-1\n", "0 : 1 : 1", "np.newaxis, 0",
]

PER_SHAPE = {
    "3d": [
        "1:3:2, :, 2, ...", "1, 2", "1, 2, 3", "-1, -5, -6", "0, -1", "3, 4, 5", "-4, -5, -6",
        "1:3", ":2", "2:", "-3:", "-3:-1", "3:0:-1", "-1:-4:-1", "3::-2", ":1:-1", "1:3:7",
        ":, 1:4:2, ::-1", "1, :, -2", "::-1, ::-1, ::-1", ":, 3:1, :", "2, 5:5", ":, :, 6:", ":, :, -7:2",
        "..., 1", "1, ...", "1, ..., 2", "..., ::-2", ":, ..., :", "..., 1, 2, 3", "1, 2, 3, ...",
        "1, ..., 2, 3", "None, 1", "1, None", ":, None, :", "None, None, 1:3", "1, None, 2, None, 3",
        "None, 3, None, ..., None, -1", "::3, ::-4, 1::4", "1:3,", "::-1, None, 0, ...",
        " 1 , 2 ", "1:3 : 2", "\t1,\n2", "1,\t-1 ,", "0:1_0:2", "+1, -0", "1, 2:, 1::-1",
        "-100:100:3, 100:-100:-2, 5:-100:-4", "0:4:3, 0:5:4, 0:6:5", "3:1:-1, 4:0:-3, ::-6",
        ":, 0, 0:0", "..., 6:6", "None, 0:0, None",
    ],
    "4d": [
        "1:3:2, :, 2, ...", "0:3:2, ::-1, 2, ...", "..., 1:4, None", "1, ..., -1", "::2, 1::2, ::-2, -2::-3",
        "-1, :, None, 3:0:-1, 4", ":, 2:2, :, :", "..., 0, 0", "1, 1, 1, 1", "1, 2, ...", "2, ..., 4, 5",
        ":, None, ..., None, :", "::-1, 1:3, ..., 2", "..., ::-1", "0, 0, 0", "1:, :-1, 1:-1, -3:",
        ":, :, :, ::-5", "None, None, None, None, ...", "-3, -4, -5, -6", "2:0:-1, ..., 0::5",
        "1,2,3,4", "  ...  ,  None  ,  2  ", "1, :, 4, :", ":, 3, :, 2:5",
    ],
    "4d_rgb": [
        "1:3:2, :, 2, ...", "::2, 1:4, ::-1, 2", ":, :, 1", ":, :, ::-1", "..., 0:0", "2, 3, :, 5",
        "1:3, 1:3, 1:3, 1:3", "::-1, ::-1, ::-1, ::-1", "None, 1, ..., ::2", ":, 2, 1:2, ::-3",
        "3, 4, 2, 5", ":, :, -1", "0:4:2, 4:0:-2, ..., 0",
    ],
    "5d": [
        "1:3:2, :, 2, ...", "1, ..., 2", "::-1, 1:, None, ..., ::2", ":, :, :, :, :", "0, 1, 2, 1, 4",
        "-1, -1, -1, -1, -1", "..., 1:3, ::-2", ":, None, 1, ..., None, -1", "1:2, 0:3:2, ..., 3:1",
        "..., 100:", "..., 1, :, 2", "None, ..., None", "1, 2, 3", "..., 0, 0, 0", ":, 1:, :3, ::2, 1::3",
        "::-1, ::-1, ::-1, ::-1, ::-1", "0, ..., 0", "1, :, 3, :, 4", ":, :, 2:2, :, :",
        "-2, -3, -4, -3, -5", "0:2:3, 2:0:-1, ..., 4::-2", "None, 1, None, 2, None, ..., None",
    ],
    "edge": [
        "0, ::-1, 0", "::-1, 2:5, ::-1", "..., 0", "-1, -7, -1", "1:", ":, 7:", "None, 0, ..., None",
        "0, 6, 0", ":, ::3, :", ":, -100:100:-1, :", ":, 100:-100:-1, :", "0, 1:6:2", "..., ::-1, 0",
        "0:1, 0:7:7, 0:1",
    ],
    "empty_axis": [
        ":, 1", "::-1, 2", "..., 1", ":, :, -4", "None, :, 0, 0", ":, 1:2, ::-1",
    ],
    "scalar": [
        "", "...", "None", "..., None", "None, ..., None", "None, None", "...,",
    ],
}

# Expressions NumPy rejects; shape key -> expressions.
ERRORS = {
    "3d": [
        "4", "-5", "1, 5", "..., 6", "..., -7", "None, 4", "0, 0, 6", "1, ..., -7", "None, ..., 10",
        "1, 2, 3, 4", ":, :, :, :", "0, 0, 0, 0, ...", "None, 1, 1, 1, 1", "..., 0, 0, 0, 0",
        "..., ...", "1, ..., ..., 1", "...,...,None",
        "::0", "1:2:0", "1, ::0", "..., ::0", "::0, ...", "None, 0:1:0",
        "1.5", "a", "1:2:3:4", "1,,2", ",", "1,,", ", 1", "01", "0_1", "1_", "1__0", "_1", "x", "1 2",
        "-", "+", ":::", "...1", "..", "none", "1e3", "1:2.5", "1, 2:x", "1, 2, 3,,",
        "10000000000000000000", "-10000000000000000000", "9223372036854775807", "-9223372036854775808",
    ],
    "4d": [
        "3", ":, 4", "..., 6", "..., 7, :", "1, 2, 3, 4, 5", "..., ..., 0", "0, 0, ::0", ":, None, -5",
    ],
    "4d_rgb": [
        ":, :, 3", ":, :, -4", "..., 3, 0",
    ],
    "5d": [
        "..., 5", "0, 3", "2, ...", ":, :, :, :, :, :", "..., -6", "0, 1, 2, 3", "0, 0, 0, 0, 0, 0",
    ],
    "edge": [
        "1", "0, 7", "..., 1", "-2", "0, -8, 0",
    ],
    "empty_axis": [
        "0", "-1", "..., 4", ":, 3",
    ],
    "scalar": [
        "0", ":", "..., 0", "None, -1", "..., ...",
    ],
}

# Expressions where jpkl deliberately differs from NumPy. "jpkl" is jpkl's documented behaviour:
# "IllegalArgumentException" or "ok" (then the result must equal "jpkl_equivalent" evaluated by NumPy).
DEVIATIONS = [
    ("3d", "[1]", "IllegalArgumentException",
     "advanced (integer array) indexing is not supported; only basic indexing"),
    ("3d", "[1, 2], :", "IllegalArgumentException",
     "advanced (integer array) indexing is not supported; only basic indexing"),
    ("3d", "True", "IllegalArgumentException",
     "boolean indexing is not supported; only basic indexing"),
    ("3d", "(1, 2)", "IllegalArgumentException",
     "parenthesised tuples are not parsed; write the items separated by commas"),
    ("3d", "()", "IllegalArgumentException",
     "the empty tuple is written as the empty expression \"\""),
    ("3d", "0x1", "IllegalArgumentException",
     "only decimal integer literals are accepted (no 0x/0o/0b)"),
    ("3d", "--1", "IllegalArgumentException",
     "at most one sign per integer; Python's repeated unary operators are not evaluated"),
    ("3d", "1+1", "IllegalArgumentException",
     "arithmetic is not evaluated; integers must be literals"),
    ("3d", "slice(1, 3)", "IllegalArgumentException",
     "slice objects are written start:stop:step"),
    ("3d", " ", "ok",
     "a blank expression selects everything, like the empty expression (Python rejects a[ ])"),
    ("3d", "10, ::0", "IllegalArgumentException",
     "with several faults jpkl reports the syntax fault (step 0) first; NumPy checks integers first"),
]


def evaluate(array, expression):
    """NumPy's answer: ("ok", result) or ("error", type name, message)."""
    namespace = {"__x": array, "np": np, "numpy": np, "newaxis": np.newaxis}
    # Python has no a[]; the empty expression means the empty tuple, a[()].
    subscript = "()" if expression == "" else expression
    try:
        result = eval("__x[" + subscript + "]", namespace)  # noqa: S307 - our own fixed expressions
    except Exception as e:  # NumPy and Python report bad indices with several exception types
        return ("error", type(e).__name__, str(e))
    return ("ok", np.asarray(result))


def source(shape):
    return np.arange(int(np.prod(shape, dtype=np.int64))).reshape(shape)


def to_json(fixture):
    """Compact JSON with one case per line, so that diffs of a regenerated fixture stay readable."""
    lines = ["{"]
    keys = list(fixture)
    for i, key in enumerate(keys):
        value = fixture[key]
        end = "," if i < len(keys) - 1 else ""
        if isinstance(value, list):
            lines.append(json.dumps(key) + ": [")
            for j, item in enumerate(value):
                lines.append(json.dumps(item, separators=(",", ":")) + ("," if j < len(value) - 1 else ""))
            lines.append("]" + end)
        else:
            lines.append(json.dumps(key) + ": " + json.dumps(value) + end)
    lines.append("}")
    return "\n".join(lines) + "\n"


def main():
    out_path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "numpy_indexing_fixture.json")
    cases, errors, deviations = [], [], []
    for key, shape in SHAPES.items():
        array = source(shape)
        common = COMMON if shape != () else []
        seen = set()
        for expression in PER_SHAPE[key] + common:
            if expression in seen:
                continue
            seen.add(expression)
            outcome = evaluate(array, expression)
            if outcome[0] != "ok":
                if expression in PER_SHAPE[key]:
                    raise SystemExit(f"case {expression!r} on {shape} raised {outcome[1]}: {outcome[2]}")
                # A common expression may index past a short axis (e.g. "0" on shape (0, 3, 4)):
                # that is NumPy's answer too, so it becomes an error case.
                errors.append({"shape": list(shape), "expression": expression, "numpyError": outcome[1],
                               "numpyMessage": outcome[2]})
                continue
            result = outcome[1]
            cases.append({"shape": list(shape), "expression": expression, "resultShape": list(result.shape),
                          "values": [int(v) for v in result.ravel()]})
        for expression in ERRORS[key]:
            if expression in seen:
                continue
            seen.add(expression)
            outcome = evaluate(array, expression)
            if outcome[0] == "ok":
                raise SystemExit(f"error case {expression!r} on {shape} succeeded with shape {outcome[1].shape}")
            errors.append({"shape": list(shape), "expression": expression, "numpyError": outcome[1],
                           "numpyMessage": outcome[2]})
    for key, expression, jpkl, reason in DEVIATIONS:
        shape = SHAPES[key]
        outcome = evaluate(source(shape), expression)
        entry = {"shape": list(shape), "expression": expression, "jpkl": jpkl, "reason": reason}
        if outcome[0] == "ok":
            entry["numpy"] = "ok"
            entry["numpyResultShape"] = list(outcome[1].shape)
        else:
            entry["numpy"] = outcome[1]
            entry["numpyMessage"] = outcome[2]
        deviations.append(entry)
    fixture = {
        "generator": "jpkl-api/src/test/resources/indexing/generate_fixture.py",
        "numpyVersion": np.__version__,
        "source": "np.arange(prod(shape)).reshape(shape): every value is its C-order flat index",
        "cases": cases,
        "errors": errors,
        "deviations": deviations,
    }
    with open(out_path, "w", encoding="utf-8") as f:
        f.write(to_json(fixture))
    print(f"{out_path}: {len(cases)} cases, {len(errors)} errors, {len(deviations)} deviations, "
          f"{os.path.getsize(out_path)} bytes")


if __name__ == "__main__":
    main()
