"""Reads the keys a table comparison found different, from the runbook's result or a diff tool's output, and
prints them in one shape, so bench/run.sh can check that every tool found the same keys.

    python3 diffkeys.py runbook RESULT_JSON      # `temporal workflow result --output json` of a validate runbook
    python3 diffkeys.py hashdiff JSONL_FILE      # reladiff / data-diff `--json`: ["-" or "+", [key, col, ...]]

Prints `missing=K,K extra=K changed=K` (keys sorted as integers): missing means in the source only, extra in the
target only, changed in both with different values. A diff tool prints a changed row twice (`-` with the source's
values, `+` with the target's), so a key seen with both signs is a changed row.
"""

import json
import sys


def from_runbook(path):
    with open(path, encoding="utf-8") as f:
        result = json.load(f)["result"]
    found = {"missing": set(), "extra": set(), "changed": set()}
    for report in result.get("evidence") or []:
        differences = report.get("differences") or {}
        if differences.get("truncated"):
            sys.exit(f"{path}: the validation listed only some of the differences")
        for kind in found:
            found[kind].update(key[0] for key in differences.get(kind) or [])
    return found


def from_hashdiff(path):
    signs = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line.startswith("["):
                continue
            sign, row = json.loads(line)
            signs.setdefault(str(row[0]), set()).add(sign)
    return {
        "missing": {k for k, s in signs.items() if s == {"-"}},
        "extra": {k for k, s in signs.items() if s == {"+"}},
        "changed": {k for k, s in signs.items() if s == {"-", "+"}},
    }


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("runbook", "hashdiff"):
        sys.exit(__doc__)
    found = (from_runbook if sys.argv[1] == "runbook" else from_hashdiff)(sys.argv[2])
    print(" ".join(f"{kind}={','.join(sorted(keys, key=int))}" for kind, keys in found.items()))


if __name__ == "__main__":
    main()
