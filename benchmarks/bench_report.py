"""Report speed: analysis vs kernel start, papermill and nbconvert; batch parallel vs serial.

Usage::

    python benchmarks/bench_report.py                      # demo size (20,000 customers), 8 clients
    python benchmarks/bench_report.py --customers 2000 --clients 4 --no-segments   # quick

Part 1 runs the demo client's report once and splits its time into the analysis
(in this process, and inside the kernel), the charts and tables, and the fixed
overhead: kernel start and papermill's machinery, the import cell, nbconvert.
Goal: fixed overhead per report under 5 s.

Part 2 renders a batch of N demo-sized clients with 1 worker and with 2 workers,
in one run. Goal: 2 workers in at most 0.65 of the serial time.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

import nbformat

import retainlib as rl
from retainlib.report import execute, render_html
from retainlib.report._runner import kernel_manager, notebook_path, start_kernel
from retainlib.report.analysis import analyse


def cell_times(nb_path: Path) -> list[tuple[str, float]]:
    nb = nbformat.read(nb_path, as_version=4)
    return [(c.source.splitlines()[0] if c.source else "", float(
        c.metadata.get("papermill", {}).get("duration") or 0.0))
        for c in nb.cells if c.cell_type == "code"]


def part1(root: Path, customers: int) -> float:
    cfg = rl.write_demo(root / "demo", n_customers=customers)
    analyse(str(cfg))  # warm imports in this process
    t = time.perf_counter()
    analyse(str(cfg))
    in_process = time.perf_counter() - t

    km = kernel_manager()
    t = time.perf_counter()
    start_kernel(km, cwd=root)
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=60)
    kernel_start = time.perf_counter() - t
    kc.stop_channels()
    km.shutdown_kernel(now=True)

    work = root / "work"
    work.mkdir()
    t = time.perf_counter()
    execute(notebook_path("report"), work / "report.ipynb",
            {"config": str(cfg), "output_dir": str(work)}, cwd=work)
    papermill = time.perf_counter() - t
    t = time.perf_counter()
    render_html(work / "report.ipynb", work / "report.html", title="demo")
    nbconvert_cold = time.perf_counter() - t  # includes importing nbconvert, once per process
    t = time.perf_counter()
    render_html(work / "report.ipynb", work / "report.html", title="demo")
    nbconvert = time.perf_counter() - t

    cells = cell_times(work / "report.ipynb")
    analysis_cell = sum(d for s, d in cells if s.startswith("a = analyse("))
    import_cell = sum(d for s, d in cells if s.startswith("%matplotlib"))
    display = sum(d for _, d in cells) - analysis_cell - import_cell
    machinery = papermill - sum(d for _, d in cells)
    overhead = machinery + import_cell + nbconvert
    print(f"demo client, {customers:,} customers")
    print(f"  analysis in this process        {in_process:7.2f} s")
    print(f"  analysis cell in the kernel     {analysis_cell:7.2f} s")
    print(f"  charts and tables cells         {display:7.2f} s")
    print(f"  kernel start alone              {kernel_start:7.2f} s")
    print(f"  papermill total                 {papermill:7.2f} s")
    print(f"    of which kernel start + papermill machinery {machinery:.2f} s, "
          f"import cell {import_cell:.2f} s")
    print(f"  nbconvert (HTML)                {nbconvert:7.2f} s   (first page of a process: "
          f"{nbconvert_cold:.2f} s with the imports)")
    print(f"  fixed overhead per report       {overhead:7.2f} s   (goal < 5 s: "
          f"{'met' if overhead < 5 else 'NOT met'})")
    return overhead


def _cpu() -> float:
    """CPU seconds of this process and its finished children (kernels, workers)."""
    return sum(r.ru_utime + r.ru_stime for r in (resource.getrusage(resource.RUSAGE_SELF),
                                                 resource.getrusage(resource.RUSAGE_CHILDREN)))


def part2(root: Path, customers: int, clients: int, segments: bool) -> float:
    paths = [str(rl.write_demo(root / f"c{i}", n_customers=customers, seed=i,
                               client=f"client {i}")) for i in range(clients)]
    batch = {"clients": paths}
    times = {}
    busy = {}
    for workers in (1, 2):
        cpu0 = _cpu()
        t = time.perf_counter()
        code, rows = rl.run_batch(batch, root / f"out{workers}", workers=workers,
                                  segments=segments)
        times[workers] = time.perf_counter() - t
        busy[workers] = (_cpu() - cpu0) / times[workers]
        assert code == 0, [r["error"] for r in rows if r["status"] != "ok"]
    ratio = times[2] / times[1]
    print(f"batch of {clients} clients x {customers:,} customers "
          f"({'with' if segments else 'without'} segment reports)")
    print(f"  serial (1 worker)   {times[1]:8.1f} s   ({busy[1]:.2f} cores busy on average)")
    print(f"  2 workers           {times[2]:8.1f} s   ({busy[2]:.2f} cores busy on average)")
    print(f"  ratio               {ratio:8.2f}    (goal <= 0.65: "
          f"{'met' if ratio <= 0.65 else 'NOT met'})")
    return ratio


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--customers", type=int, default=20_000)
    p.add_argument("--clients", type=int, default=8)
    p.add_argument("--no-segments", action="store_true", help="batch without segment reports")
    p.add_argument("--skip-batch", action="store_true")
    args = p.parse_args()
    root = Path(tempfile.mkdtemp(prefix="bench-report-"))
    try:
        part1(root / "p1", args.customers)
        if not args.skip_batch:
            part2(root / "p2", args.customers, args.clients, not args.no_segments)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    mb = {who: resource.getrusage(who).ru_maxrss / 1024  # KiB on Linux
          for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)}
    print(f"peak memory: this process {mb[resource.RUSAGE_SELF]:,.0f} MB, largest child "
          f"(kernel or worker) {mb[resource.RUSAGE_CHILDREN]:,.0f} MB")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
