#!/usr/bin/env python3
"""The UniFFI conformance-vector runner (../shared/vectors/README.md).

Loads the generated Python binding (mobile-bindings/generated/python, made by generate.sh) and checks
every file given: files, or folders searched for *.json in sorted path order. Parsing and comparison
happen in the core (check_vector_file), exactly as on a phone; this file only reads and prints.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "generated", "python"))
import motcua  # noqa: E402  (the generated binding)


def collect(path, files):
    if os.path.isdir(path):
        found = []
        for directory, subdirs, names in os.walk(path):
            subdirs.sort()
            found.extend(os.path.join(directory, n) for n in names if n.endswith(".json"))
        files.extend(sorted(found))
    elif os.path.exists(path):
        files.append(path)
    else:
        raise FileNotFoundError(path)


def main(args):
    if not args:
        print("usage: python3 mobile-bindings/run_vectors.py <path>...", file=sys.stderr)
        return 2
    passed = failed = broken = 0
    files = []
    for arg in args:
        try:
            collect(arg, files)
        except OSError as e:
            print(f"{arg}: cannot read: {e}", file=sys.stderr)
            broken += 1
    for file in files:
        try:
            with open(file, encoding="utf-8") as f:
                text = f.read()
        except (OSError, UnicodeDecodeError) as e:
            print(f"{file}: cannot read: {e}", file=sys.stderr)
            broken += 1
            continue
        try:
            report = motcua.check_vector_file(text)
        except motcua.MotcuaError.Failed as e:
            print(f"{file}: {e.message}", file=sys.stderr)
            broken += 1
            continue
        for failure in report.failed:
            print(f"FAIL {failure.id} ({file})")
            print(f"  expected: {failure.expected_json}")
            print(f"  actual:   {failure.actual_json}")
        passed += report.passed
        failed += len(report.failed)
    if broken:
        print(f"{broken} file(s) could not be read or parsed", file=sys.stderr)
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 and broken == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
