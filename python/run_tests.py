"""Runs the jpkl Python package's unittest suite: ``python3 run_tests.py [CROSS_DIR]``.

Equivalent to ``python3 -m unittest discover -s tests -t .`` from this folder. CROSS_DIR, when given,
is a folder written by jpkl-tests' PythonReaderCrossTest (manifest.json); without it the
cross-implementation tests are skipped and the rest run on their own.
"""
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))

if __name__ == "__main__":
    if len(sys.argv) > 1:
        os.environ["JPKL_CROSS_DIR"] = sys.argv[1]
    sys.path.insert(0, HERE)
    suite = unittest.defaultTestLoader.discover(os.path.join(HERE, "tests"), top_level_dir=HERE)
    result = unittest.TextTestRunner(verbosity=1, stream=sys.stdout).run(suite)
    sys.exit(0 if result.wasSuccessful() else 1)
