"""Reading the benchmark scripts' input (bench/history.py, ci/bench-gate.py).

UsageError is the input a person must fix: a bad argument, a file that
cannot be read or is not what it should be. Each script catches it, prints
it with its own name and exits 2.
"""
import json


class UsageError(Exception):
    pass


def load_json(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except OSError as e:
        raise UsageError(f"cannot read {path}: {e.strerror}")
    except json.JSONDecodeError as e:
        raise UsageError(f"{path} is not JSON: {e}")
