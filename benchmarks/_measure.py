"""Run a benchmark step in a forked child: wall time, result and peak extra memory.

Shared by bench_clv.py and bench_models.py (they put this folder on sys.path).
"""

from __future__ import annotations

import multiprocessing as mp
import time
import warnings
from pathlib import Path


def _kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field):
            return int(line.split()[1])
    return 0


def _child(queue, func):
    warnings.simplefilter("ignore")  # lifetimes' pandas-3 deprecation noise, child process only
    base = _kib("VmRSS:")
    start = time.perf_counter()
    out = func()
    elapsed = time.perf_counter() - start
    queue.put((elapsed, out, (_kib("VmHWM:") - base) / 1024))


def measure(func):
    """Run ``func`` in a forked child: (seconds, result, peak extra MiB)."""
    ctx = mp.get_context("fork")
    queue = ctx.Queue()
    proc = ctx.Process(target=_child, args=(queue, func))
    proc.start()
    while True:
        try:
            result = queue.get(timeout=1.0)
            break
        except Exception:  # queue.Empty: keep waiting while the child lives
            if not proc.is_alive():
                raise RuntimeError(f"benchmark child failed (exit code {proc.exitcode})") from None
    proc.join()
    return result
