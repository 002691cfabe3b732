"""The ``retain`` command: validate data, render one report, run batches, run the demo.

Every subcommand returns an exit code. A user's mistake (any RetainlibError, a
missing file, Ctrl-C) prints one line on stderr, never a traceback (exit 2,
130 for Ctrl-C). An internal error prints one line and the path of a file
holding its full traceback (exit 3).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from retainlib import __version__
from retainlib.errors import RetainlibError, one_line


def _build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="retain",
        description="Retention analysis reports from a client's sales export.",
    )
    parser.add_argument("--version", action="version", version=f"retain {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser(
        "validate",
        help="read a client's data and print the load report (rows read, kept, rejected and why)",
        description="Read a client config (YAML) or a data file that uses the canonical column "
        "names (customer_id, date, amount) and print the load report. Exit 0 when the data are "
        "usable, 2 when not.",
    )
    p.add_argument("source", metavar="CONFIG_OR_DATA", help="client config .yaml or data file")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of text")

    p = sub.add_parser(
        "report",
        help="render the report for one client config",
        description="Run the retention report for one client config into OUT/<client>/.",
    )
    p.add_argument("config", metavar="CONFIG", help="client config .yaml")
    p.add_argument("--out", default="reports", metavar="DIR",
                   help="output folder (default: reports)")
    _max_segments(p)
    _timeout(p)
    _pdf(p)
    _language(p)
    _engine(p)

    p = sub.add_parser(
        "batch",
        help="render reports for every client of a batch file, in parallel",
        description="Run every client of BATCH.yaml into OUT/<client>/ and write OUT/index.html "
        "and OUT/batch_summary.csv. Exit 0 when all succeeded, 1 when some failed, 2 when the "
        "batch file is invalid.",
    )
    p.add_argument("batch", metavar="BATCH",
                   help="batch .yaml with 'clients:' and optional 'defaults:'")
    p.add_argument("--out", default="reports", metavar="DIR",
                   help="output folder (default: reports)")
    p.add_argument("--workers", type=_positive, default=None, metavar="N",
                   help="parallel worker processes (default: number of cores)")
    _max_segments(p)
    _timeout(p)
    _pdf(p, "; and OUT/index.pdf")
    _language(p, "; default: each client's language key")
    _engine(p, "; default: each client's engine key")

    p = sub.add_parser(
        "demo",
        help="render the demo report on the built-in demo retailer",
        description="Generate the demo retailer and render its report as a batch of one client "
        "named demo: DIR/index.html and DIR/demo/report.html.",
    )
    p.add_argument("--out", default="reports/demo", metavar="DIR",
                   help="output folder (default: reports/demo)")
    _pdf(p, "; and DIR/index.pdf")
    _language(p, "; default: en")
    _engine(p, "; default: pandas (duckdb and spark read a Parquet copy of the demo's lines)")
    return parser


def _language(p: argparse.ArgumentParser,
              more: str = "; default: the config's language key") -> None:
    from retainlib.i18n import LANGUAGES

    p.add_argument("--language", choices=LANGUAGES, default=None,
                   help=f"language of the reports and exports: en (English) or he (Hebrew){more}")


def _engine(p: argparse.ArgumentParser,
            more: str = "; default: the config's engine key") -> None:
    from retainlib.config.client import ENGINES

    p.add_argument("--engine", choices=ENGINES, default=None,
                   help=f"what reads and reduces the transactions: pandas (any export), duckdb "
                        f"or spark (Parquet, plain CSV, Spark tables){more}")


def _pdf(p: argparse.ArgumentParser, more: str = "") -> None:
    from retainlib.report.pdf import INSTALL_HINT

    p.add_argument("--pdf", action="store_true",
                   help="also write report.pdf beside each report.html, segment reports "
                   f"included{more}; needs Chromium: {INSTALL_HINT}")


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be a whole number >= 0, not {text!r}")
    return value


def _max_segments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--max-segments", type=_count, default=10, metavar="N",
                   help="segment reports for at most N values per segment column, those with "
                   "most customers (default: 10; 0 for none)")


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number >= 1, not {text!r}")
    return value


# ----------------------------------------------------------------------------- commands


def validate_command(source: str | Path, *, as_json: bool = False) -> int:
    """Run ``retain validate``: print the report; return the exit code.

    Prints the readable report, or with ``as_json`` one JSON object with
    ``rows_read``, ``rows_kept``, ``rows_rejected``, ``rejected`` (reason ->
    count), ``duplicates``, ``customers``, ``first_date``, ``last_date``,
    ``revenue``, ``returns`` (rows with a negative amount), ``survey`` and more
    (see :func:`validate_source`). Returns 0 when the data are usable.

    Errors: without ``as_json`` they are raised as
    :class:`retainlib.errors.RetainlibError` for the CLI to print in one line
    (exit 2); with ``as_json`` stdout still gets one JSON object,
    ``{"error": "<the message>"}``, and the return value is 2. The JSON is
    strict: numbers that are not finite are written as null.
    """
    from retainlib.load.validate import validate_source

    try:
        summary = validate_source(source)
    except (RetainlibError, FileNotFoundError, PermissionError, IsADirectoryError) as exc:
        if not as_json:
            raise
        _print_json({"error": str(exc)})
        return 2
    text = summary.pop("text")
    for message in summary["warnings"]:
        sys.stderr.write(f"retain validate: warning: {message}\n")
    if as_json:
        _print_json(summary)
    else:
        sys.stdout.write(text + "\n")
    return 0


def _print_json(obj: dict) -> None:
    sys.stdout.write(json.dumps(_finite(obj), ensure_ascii=False, allow_nan=False) + "\n")


def _finite(obj):
    """``obj`` with every float that is NaN or infinite (nested too) replaced by None."""
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {k: _finite(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_finite(v) for v in obj]
    return obj


def _say(text: str) -> None:
    print(text, file=sys.stderr)


def _skipped_note(command: str, row: dict, limit: int) -> None:
    """Say which segment values got no report of their own (beyond ``limit`` per column)."""
    skipped = row.get("segments_skipped") or []
    if skipped and limit > 0:  # with 0 the user asked for none
        shown = ", ".join(skipped[:5]) + (f" and {len(skipped) - 5} more" if len(skipped) > 5
                                          else "")
        _say(f"retain {command}: {row['client']}: segment reports are made for the {limit} "
             f"values with most customers per segment column; no report for {shown} "
             "(they are in the main report's segment tables; raise the limit with "
             "--max-segments)")


def report_command(config: str, *, out: str = "reports", max_segments: int = 10,
                   timeout: float | None = None, pdf: bool = False,
                   language: str | None = None, engine: str | None = None) -> int:
    """``retain report CONFIG --out DIR [--pdf]``: exit 0 when rendered, 1 when it failed."""
    from retainlib import report

    # run_report loads the config (one sentence on a mistake) and applies its timeout: key
    row = report.run_report(config, out, max_segment_values=max_segments, timeout=timeout,
                            pdf=pdf, language=language, engine=engine)
    where = Path(out) / row["report"]
    if row["status"] == "failed":
        kept = f"; executed notebook: {where}" if row["report"] else ""
        _say(f"retain report: {row['client']} failed: {row['error']}{kept}")
        return 1
    print(where)
    if pdf and (where.with_suffix(".pdf")).is_file():
        print(where.with_suffix(".pdf"))
    _skipped_note("report", row, max_segments)
    if row["status"] == "partial":
        _say(f"retain report: some segment reports failed: {row['error']}")
        return 1
    return 0


def batch_command(batch: str, *, out: str = "reports", workers: int | None = None,
                  max_segments: int = 10, timeout: float | None = None,
                  pdf: bool = False, language: str | None = None,
                  engine: str | None = None) -> int:
    """``retain batch BATCH --out DIR --workers N [--pdf]``: exit 0 ok, 1 some failed, 2 invalid."""
    from retainlib.report import run_batch

    code, rows = run_batch(batch, out, workers=workers, progress=True,
                           max_segment_values=max_segments, timeout=timeout, pdf=pdf,
                           language=language, engine=engine)
    for r in rows:
        if r["status"] != "ok":
            _say(f"retain batch: {r['client']}: {r['status']}: {r['error']}")
        _skipped_note("batch", r, max_segments)
    print(Path(out) / "index.html")
    if pdf:
        print(Path(out) / "index.pdf")
    return code


def demo_command(*, out: str = "reports/demo", pdf: bool = False,
                 language: str | None = None, engine: str | None = None) -> int:
    """``retain demo --out DIR [--pdf]``: the demo retailer as a batch of one client named demo.

    Writes the demo data into ``DIR/_data/`` and renders ``DIR/index.html`` and
    ``DIR/demo/report.html`` (with its segment reports); with ``pdf`` also
    ``DIR/index.pdf``, ``DIR/demo/report.pdf`` and a PDF per segment report.
    """
    from retainlib.datasets import DEMO_FILES, write_demo
    from retainlib.output import folders as _outputs
    from retainlib.report import ROOT_FILES, run_batch
    from retainlib.report.pdf import find_chromium

    root = _outputs.output_root(out, create=False)
    if pdf:
        find_chromium()  # refuse before writing 4 MB of demo data
    _outputs.check_writable(root, ROOT_FILES + (("index.pdf",) if pdf else ()))
    _outputs.check_replaceable(root / "demo", client="demo")
    _outputs.check_writable(root / "_data", DEMO_FILES)
    cfg = write_demo(Path(out) / "_data", language=language or "en")
    if engine not in (None, "pandas"):
        from retainlib.load.engines import engine_copy

        cfg = engine_copy(cfg, engine)
    code, rows = run_batch({"clients": [str(cfg.resolve())]}, out, workers=1, progress=True,
                           pdf=pdf, language=language)
    for r in rows:
        if r["status"] != "ok":
            _say(f"retain demo: {r['client']}: {r['status']}: {r['error']}")
    print(Path(out) / "index.html")
    print(Path(out) / rows[0]["report"])
    report_pdf = Path(out) / Path(rows[0]["report"]).with_suffix(".pdf")
    if pdf and report_pdf.is_file():
        print(report_pdf)
    return code


# ----------------------------------------------------------------------------- parsing


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a number of seconds > 0, not {text!r}")
    return value


def _timeout(p: argparse.ArgumentParser) -> None:
    p.add_argument("--timeout", type=_seconds, default=None, metavar="SECONDS",
                   help="seconds one client may take, segment reports included; then its "
                   "kernel is stopped and the client fails (default: the config's timeout:, "
                   "else 3600)")


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "validate":
        return validate_command(args.source, as_json=args.json)
    from retainlib.report import quiet_notebook_logs

    quiet_notebook_logs()
    if args.command == "report":
        return report_command(args.config, out=args.out, max_segments=args.max_segments,
                              timeout=args.timeout, pdf=args.pdf, language=args.language,
                              engine=args.engine)
    if args.command == "batch":
        return batch_command(args.batch, out=args.out, workers=args.workers,
                             max_segments=args.max_segments, timeout=args.timeout, pdf=args.pdf,
                             language=args.language, engine=args.engine)
    return demo_command(out=args.out, pdf=args.pdf, language=args.language, engine=args.engine)


class _UsageError(Exception):
    """A command line argparse cannot parse (raised instead of argparse's exit)."""

    def __init__(self, parser: argparse.ArgumentParser, message: str) -> None:
        super().__init__(message)
        self.parser = parser


class _Parser(argparse.ArgumentParser):
    """argparse, except that a usage error is raised so ``validate --json`` can answer in JSON."""

    def error(self, message: str):
        raise _UsageError(self, message)


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    words = list(sys.argv[1:] if argv is None else argv)
    try:
        return _build_parser().parse_args(words)
    except _UsageError as exc:
        if "validate" in words and "--json" in words:  # JSON was asked for: JSON it gets
            sys.stdout.write(json.dumps({"error": one_line(exc)}, ensure_ascii=False) + "\n")
            raise SystemExit(2) from None
        exc.parser.print_usage(sys.stderr)
        print(f"{exc.parser.prog}: error: {one_line(exc)}", file=sys.stderr)
        raise SystemExit(2) from None


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``retain`` command; returns the exit code."""
    args = _parse(argv)
    try:
        return _dispatch(args)
    except RetainlibError as exc:
        print(f"retain {args.command}: error: {one_line(exc)}", file=sys.stderr)
        return 2
    except (FileNotFoundError, PermissionError, IsADirectoryError) as exc:
        print(f"retain {args.command}: error: {one_line(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"retain {args.command}: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - our bug: one line and where the details are
        saved = _save_traceback(args.command, exc)
        print(f"retain {args.command}: internal error: {type(exc).__name__}: "
              f"{one_line(exc)}; the full traceback is in {saved}; please report it",
              file=sys.stderr)
        return 3


def _save_traceback(command: str, exc: BaseException) -> str:
    """Write the traceback of an internal error to a new file in the temp folder; its path."""
    import tempfile
    import time
    import traceback

    fd, path = tempfile.mkstemp(prefix=f"retain-{command}-{time.strftime('%Y%m%d-%H%M%S')}-",
                                suffix=".txt")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write("".join(traceback.format_exception(exc)))
    return path


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
