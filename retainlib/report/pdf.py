"""A rendered report page printed to PDF by headless Chromium (Debian's ``chromium``).

The HTML page is the report; the PDF is the same page printed with its print
style sheet (A4, page breaks before the main sections, page numbers in the
bottom margin). Chromium is found on ``PATH`` (:func:`find_chromium`); it runs
with a throw-away profile in a temporary folder, never the user's, and with
no network. The PDF is written like every other file retainlib writes: into a
temporary file beside the target, moved into place with :func:`os.replace`
only when it is a complete PDF, and refused when a file of that name exists
that retainlib did not write (see :mod:`retainlib.output.folders`).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from retainlib.errors import OutputError, ReportError
from retainlib.output import folders as _outputs

__all__ = ["CHROMIUM_NAMES", "INSTALL_HINT", "find_chromium", "print_pdf"]

#: executables tried, in this order, on PATH
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
#: how to get Chromium (said when it is missing)
INSTALL_HINT = "sudo apt-get install chromium"
#: seconds one page may take to print
DEFAULT_TIMEOUT = 180.0

_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
          "--disable-background-networking", "--disable-component-update", "--disable-sync",
          "--disable-extensions", "--disable-default-apps", "--mute-audio", "--hide-scrollbars",
          "--host-resolver-rules=MAP * ~NOTFOUND", "--no-pdf-header-footer")


def find_chromium() -> str:
    """The path of a Chromium executable on PATH.

    Returns
    -------
    str
        The first of :data:`CHROMIUM_NAMES` found on ``PATH``.

    Raises
    ------
    ReportError
        None is installed; the message says how to install it.
    """
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise ReportError(f"--pdf prints the report with Chromium, which is not installed (no "
                      f"chromium on PATH); install it with '{INSTALL_HINT}' (or 'make browser' "
                      "in a retainlib checkout), or leave out --pdf")


def _last_line(text: bytes) -> str:
    """The last stderr line of Chromium that is not D-Bus noise (for an error message)."""
    lines = [ln.strip() for ln in text.decode("utf-8", "replace").splitlines() if ln.strip()]
    useful = [ln for ln in lines if "dbus" not in ln.lower()]
    return (useful or lines or ["no output"])[-1][:200]


def _run(command: list[str], env: dict, timeout: float) -> tuple[int, bytes]:
    """Run Chromium in its own process group; kill the whole group when ``timeout`` passes."""
    try:
        proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, env=env, start_new_session=True)
    except OSError as exc:
        raise ReportError(f"cannot start Chromium {command[0]} ({exc.strerror or exc}); "
                          f"reinstall it with '{INSTALL_HINT}'") from None
    try:
        _, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise ReportError(f"Chromium did not finish printing within {timeout:g} s") from None
    finally:
        if proc.poll() is None:  # an interrupt while waiting: leave no browser behind
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    return proc.returncode, err


def print_pdf(page: str | Path, pdf: str | Path, *, chromium: str | None = None,
              timeout: float = DEFAULT_TIMEOUT) -> Path:
    """Print the HTML file ``page`` to the PDF file ``pdf`` with headless Chromium.

    Parameters
    ----------
    page : path
        A rendered, self-contained report page (``report.html``).
    pdf : path
        The PDF to write, in an existing folder (written atomically and
        recorded in that folder's manifest).
    chromium : str, optional
        Chromium executable; default :func:`find_chromium`.
    timeout : float, default 180
        Seconds Chromium may take.

    Returns
    -------
    pathlib.Path
        ``pdf``.

    Raises
    ------
    ReportError
        Chromium is missing, fails, times out or writes no PDF.
    OutputError
        ``pdf`` exists and retainlib did not write it (nothing is run).
    """
    page, pdf = Path(page).resolve(), Path(pdf)
    if not page.is_file():
        raise ReportError(f"cannot print {page} to PDF: the page does not exist")
    _outputs.check_writable(pdf.parent, [pdf.name])
    exe = chromium or find_chromium()
    fd, tmp_name = tempfile.mkstemp(prefix=f".{pdf.name}.", suffix=".part", dir=pdf.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        with tempfile.TemporaryDirectory(prefix="retainlib-chromium-",
                                         ignore_cleanup_errors=True) as profile:
            env = {**os.environ, "HOME": profile, "XDG_CONFIG_HOME": profile,
                   "XDG_CACHE_HOME": profile}
            command = [exe, *_FLAGS, f"--user-data-dir={profile}",
                       f"--print-to-pdf={tmp}", page.as_uri()]
            code, err = _run(command, env, max(1.0, float(timeout)))
        with tmp.open("rb") as f:
            complete = f.read(5) == b"%PDF-"
        if code != 0 or not complete:
            raise ReportError(f"Chromium could not print {page.name} to PDF (exit code {code}: "
                              f"{_last_line(err)})")
        os.chmod(tmp, _outputs.file_mode())
        _outputs.check_writable(pdf.parent, [pdf.name])  # nothing of the user's appeared there
        os.replace(tmp, pdf)
    except OSError as exc:
        raise OutputError(f"cannot write {pdf} ({getattr(exc, 'strerror', None) or exc}); "
                          "choose a folder you can write to") from None
    finally:
        tmp.unlink(missing_ok=True)
    _outputs.record(pdf.parent, [pdf.name])
    return pdf
