"""Run the report notebooks with papermill: notebook lookup, parameter check, kernel, retries."""

from __future__ import annotations

import errno
import hashlib
import math
import os
import signal
import sys
import threading
import time
from pathlib import Path

from retainlib._suggest import did_you_mean
from retainlib.errors import ReportError, one_line

NOTEBOOKS = {
    "report": "retention_report.ipynb",
    "segment": "segment_report.ipynb",
    "explore": "explore.ipynb",
}
_TYPES = {"str": (str,), "int": (int,), "float": (int, float), "bool": (bool,)}
_lock = threading.Lock()
_kernel_cache: dict[str, str] = {}
_param_cache: dict[tuple[str, float], dict] = {}
_engine_registered: list[bool] = []


def notebook_path(name: str) -> Path:
    """Path of a report notebook ('report', 'segment', 'explore').

    Looks in ``retainlib/notebooks/`` (an installed package) and then in the
    repository's ``notebooks/`` folder (a development checkout).
    """
    if name not in NOTEBOOKS:
        raise ReportError(f"unknown notebook {name!r}; use one of {sorted(NOTEBOOKS)}")
    here = Path(__file__).resolve().parent.parent
    for folder in (here / "notebooks", here.parent / "notebooks"):
        path = folder / NOTEBOOKS[name]
        if path.is_file():
            return path
    raise ReportError(f"notebook {NOTEBOOKS[name]} not found in {here / 'notebooks'} or "
                      f"{here.parent / 'notebooks'}; reinstall retainlib")


def notebook_parameters(path: str | Path) -> dict[str, dict]:
    """Parameters of a notebook's ``parameters`` cell: name -> {type, default, help}."""
    import papermill

    path = Path(path)
    key = (str(path), path.stat().st_mtime)
    if key not in _param_cache:
        found = papermill.inspect_notebook(str(path))
        _param_cache[key] = {
            name: {"type": p.get("inferred_type_name"), "default": p.get("default"),
                   "help": p.get("help")}
            for name, p in found.items()
        }
    return _param_cache[key]


def check_parameters(path: str | Path, params: dict) -> None:
    """Raise ReportError for a parameter the notebook does not have, or of the wrong type.

    Papermill only warns about unknown parameters; a misspelt name would
    silently run the report with the default.
    """
    known = notebook_parameters(path)
    name = Path(path).name
    for key, value in params.items():
        if key not in known:
            hint = did_you_mean(key, known)
            raise ReportError(f"notebook {name} has no parameter {key!r}; its parameters are "
                              f"{', '.join(sorted(known))}.{hint}")
        types = _TYPES.get(str(known[key]["type"]))
        if types and (not isinstance(value, types) or
                      (isinstance(value, bool) and bool not in types)):
            raise ReportError(f"parameter {key!r} of notebook {name} must be "
                              f"{known[key]['type']}, got {type(value).__name__} {value!r}")


def _argv0_is_us(spec) -> bool:
    argv0 = spec.argv[0] if spec.argv else ""
    return os.path.abspath(argv0) == os.path.abspath(sys.executable)


def kernel_name() -> str:
    """Name of a Jupyter kernel that runs this very interpreter, installing one if needed.

    Uses the ``retainlib`` kernel (``make setup`` registers it) when its
    command is ``sys.executable``; otherwise installs one into ``sys.prefix``
    (or the user's folder when that is read-only), so 'kernel not found' or a
    kernel from another environment cannot happen.
    """
    with _lock:
        if sys.executable in _kernel_cache:
            return _kernel_cache[sys.executable]
        from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

        digest = hashlib.sha1(sys.executable.encode()).hexdigest()[:8]
        names = ("retainlib", f"retainlib-{digest}")
        ksm = KernelSpecManager()
        for name in names:
            try:
                if _argv0_is_us(ksm.get_kernel_spec(name)):
                    _kernel_cache[sys.executable] = name
                    return name
            except NoSuchKernel:
                continue
        from ipykernel.kernelspec import install

        name = names[1]
        try:
            install(kernel_name=name, display_name="Python (retainlib)", prefix=sys.prefix)
        except OSError:  # read-only prefix, or another process installing it right now
            time.sleep(1.0)
            try:
                ok = _argv0_is_us(ksm.get_kernel_spec(name))
            except NoSuchKernel:
                ok = False
            if not ok:
                install(kernel_name=name, display_name="Python (retainlib)", user=True)
        _kernel_cache[sys.executable] = name
        return name


def _is_start_race(exc: BaseException) -> bool:
    """A kernel-start failure worth retrying (ports taken between choice and bind)."""
    text = f"{type(exc).__name__}: {exc}"
    if getattr(exc, "errno", None) == errno.EADDRINUSE or "Address already in use" in text:
        return True
    return any(s in text for s in ("Kernel died before replying to kernel_info",
                                   "Kernel didn't respond", "kernel died"))


def _engine() -> str:
    """Name of papermill's nbclient engine that also saves the notebook when the run is cut short.

    Papermill writes the executed notebook only when the run ends (a cell
    error included). When the kernel dies or is killed (a timeout), nothing
    would be written; this engine saves what ran so far to the output path.
    """
    from papermill.engines import NBClientEngine, papermill_engines

    class KeepPartialEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, **kwargs):
            partial = kwargs.pop("partial_output", None)
            try:
                return super().execute_managed_notebook(nb_man, kernel_name, **kwargs)
            except BaseException:
                if partial:  # papermill's own finally block saves to output_path
                    nb_man.output_path = partial
                raise

    with _lock:
        if not _engine_registered:
            papermill_engines.register("retainlib", KeepPartialEngine)
            _engine_registered.append(True)
    return "retainlib"


def execute(notebook: str | Path, output: str | Path, params: dict, *, cwd: str | Path,
            timeout: float = 3600, retries: int = 3, km=None) -> None:
    """Run a notebook with papermill into ``output``.

    Parameters
    ----------
    notebook, output : path
        Notebook to run and where the executed copy goes (also when the run
        is cut short: what ran so far).
    params : dict
        Checked with :func:`check_parameters` first.
    cwd : path
        Working folder of the kernel (inside the report's output folder).
    timeout : float, default 3600
        Seconds a single cell may run (nbclient raises ``CellTimeoutError``).
    retries : int, default 3
        Attempts when the kernel fails to start (ZMQ 'address already in use');
        one attempt in a kernel ``km`` that is already running.
    km : jupyter_client.AsyncKernelManager, optional
        Run in this kernel (see :func:`kernel_manager`; started on first use,
        left running for the next notebook; the caller shuts it down).
        Default: a new kernel per notebook.

    Raises
    ------
    ReportError
        Unknown or mistyped parameter.
    papermill.PapermillExecutionError
        A cell raised; the executed notebook with papermill's error banner is
        at ``output``.
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    check_parameters(notebook, params)
    kernel = km.kernel_name if km is not None else kernel_name()
    extra = {} if km is None else {"km": km}
    if km is not None and km.has_kernel:
        retries = 1  # a kernel that dies after it started is no start race
    for attempt in range(retries):
        try:
            papermill.execute_notebook(
                str(notebook), str(output), parameters=params, kernel_name=kernel,
                engine_name=_engine(), partial_output=str(output),
                cwd=str(cwd), progress_bar=False, log_output=False,
                request_save_on_cell_execute=False, autosave_cell_every=0,
                execution_timeout=max(1, math.ceil(timeout)), start_timeout=120, **extra,
            )
            return
        except PapermillExecutionError:
            raise
        except Exception as exc:  # kernel start races are retried, everything else raised
            if attempt + 1 < retries and _is_start_race(exc):
                if km is not None and km.has_kernel:
                    shutdown_kernel(km)
                time.sleep(0.5 * (attempt + 1))
                continue
            raise


def quiet_notebook_logs() -> None:
    """Keep papermill's and nbclient's log lines off the terminal (for the ``retain`` command).

    Their messages ('Kernel died while waiting for execute reply') would reach
    stderr through Python's last-resort handler; the command says what
    happened in its own words instead. Called by the command and its batch
    workers only, never on import.
    """
    import logging

    for name in ("papermill", "nbclient", "traitlets", "asyncio"):  # asyncio: a killed kernel's
        # "Task exception was never retrieved ... DeadKernelError" after Ctrl-C
        logger = logging.getLogger(name)
        if not logger.handlers:
            logger.addHandler(logging.NullHandler())


def kernel_manager():
    """An asynchronous kernel manager for :func:`kernel_name`'s kernel, to run several notebooks.

    nbclient's timeouts and its dead-kernel check only work with the
    asynchronous manager: with the blocking one, a hanging cell blocks the
    event loop that would notice.
    """
    from jupyter_client.manager import AsyncKernelManager

    return AsyncKernelManager(kernel_name=kernel_name())


def start_kernel(km, *, cwd: str | Path, log=None, retries: int = 3) -> None:
    """Start ``km``'s kernel in ``cwd`` (its output to ``log``), retrying start races."""
    import subprocess

    from jupyter_core.utils import run_sync

    out = log if log is not None else subprocess.DEVNULL
    for attempt in range(retries):
        try:
            run_sync(km.start_kernel)(cwd=str(cwd), stdout=out, stderr=out)
            return
        except Exception as exc:
            if attempt + 1 < retries and _is_start_race(exc):
                if km.has_kernel:
                    shutdown_kernel(km)
                time.sleep(0.5 * (attempt + 1))
                continue
            raise


def shutdown_kernel(km) -> None:
    """Stop ``km``'s kernel now (no polite shutdown request: it may be hanging)."""
    from jupyter_core.utils import run_sync

    run_sync(km.shutdown_kernel)(now=True)


def kill_kernel(km) -> None:
    """Kill ``km``'s kernel process and its children at once, from any thread.

    Used by the time limit's watchdog; nbclient then sees a dead kernel and
    the run ends with ``DeadKernelError``.
    """
    provisioner = getattr(km, "provisioner", None)
    pid = getattr(provisioner, "pid", None)
    pgid = getattr(provisioner, "pgid", None)
    sig = getattr(signal, "SIGKILL", signal.SIGTERM)
    try:
        if pgid and hasattr(os, "killpg") and pgid != os.getpgrp():
            os.killpg(pgid, sig)
        elif pid:
            os.kill(pid, sig)
    except (ProcessLookupError, PermissionError):
        pass  # already gone


def execution_error(exc: BaseException) -> str:
    """One line for batch_summary.csv: the failing cell and the error."""
    from papermill.exceptions import PapermillExecutionError

    if isinstance(exc, PapermillExecutionError):
        value = str(exc.evalue).strip().splitlines()
        return f"cell {exc.exec_count}: {exc.ename}: {value[0] if value else ''}"
    return f"{type(exc).__name__}: {one_line(exc)}"
