"""Run every benchmark at its default (full) size, one after another.

Usage: ``python benchmarks/run_all.py [--only loader,models ...]``. Each script prints
retainlib's time next to its reference (pyarrow, pandas + calamine, lifetimes or plain
pandas), the ratio and peak memory. Full sizes take several minutes each and need a few
GB of memory.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
NAMES = ("loader", "excel", "analytics", "pareto", "models", "clv", "report", "engines",
         "predictions")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(NAMES),
                        help=f"comma-separated subset of: {', '.join(NAMES)}")
    names = [n.strip() for n in parser.parse_args().only.split(",") if n.strip()]
    unknown = sorted(set(names) - set(NAMES))
    if unknown:
        parser.error(f"unknown benchmark(s) {', '.join(unknown)}; choose from {', '.join(NAMES)}")
    failed = []
    for name in names:
        print(f"\n=== bench_{name}.py", flush=True)
        if subprocess.call([sys.executable, str(HERE / f"bench_{name}.py")]) != 0:
            failed.append(name)
    if failed:
        print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
