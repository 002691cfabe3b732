"""Folders and files that retainlib writes, and the proof that it wrote them.

retainlib never deletes or overwrites anything it did not write. Every folder
it writes into gets a small manifest, ``.retainlib.json``, listing the files
retainlib put there. A folder is replaced only when everything in it is listed
in its manifest; a file is overwritten only when the manifest of its folder
lists it. Anything else stops the run with :class:`OutputError`, one sentence
naming the folder or file and the fix.

Folders are created with the user's umask (0755 under umask 022) and files are
written through a temporary file in the same folder and :func:`os.replace`, so
a reader never sees half a file.

Examples
--------
>>> import tempfile
>>> root = Path(tempfile.mkdtemp())
>>> _ = write_text(root / "index.html", "<p>hi</p>")
>>> owned_files(root)
['index.html']
>>> (root / "notes.txt").write_text("mine")
4
>>> foreign_entries(root)
['notes.txt']
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from retainlib.errors import OutputError

__all__ = [
    "LOCKS",
    "MANIFEST",
    "REPORT",
    "check_replaceable",
    "check_writable",
    "file_mode",
    "folder_client",
    "folder_kind",
    "files_under",
    "foreign_entries",
    "folder_lock",
    "output_root",
    "owned_files",
    "record",
    "remove_tree",
    "write_manifest",
    "write_text",
]

#: the manifest's file name, in every folder retainlib writes
MANIFEST = ".retainlib.json"
#: the kind of a client report folder ``OUT/<client>/``
REPORT = "client report"
_SHOWN = 5


def _umask() -> int:
    """The process's umask, read without changing it where the system allows."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)  # other systems: the only portable way is to set it and put it back
    os.umask(mask)
    return mask


def file_mode() -> int:
    """Permission bits of a new file under the user's umask (0o644 under umask 022)."""
    return 0o666 & ~_umask()


def _manifest(folder: Path) -> dict:
    """The manifest of ``folder`` (empty when there is none or it is not retainlib's)."""
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return {}
    ok = (isinstance(data, dict) and data.get("written_by") == "retainlib"
          and isinstance(data.get("files"), dict)
          and all(isinstance(v, dict) for v in data["files"].values()))
    return data if ok else {}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _stamp(path: Path) -> dict:
    """What proves later that ``path`` is still the file retainlib wrote: size, time, SHA-256."""
    st = path.lstat()
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "sha256": _sha256(path)}


def _unchanged(path: Path, stamp: dict) -> bool:
    """Whether ``path`` is the file of ``stamp`` (same size and time, else same content)."""
    try:
        st = path.lstat()
        if path.is_symlink() or not path.is_file() or st.st_size != stamp.get("size"):
            return False
        return st.st_mtime_ns == stamp.get("mtime_ns") or _sha256(path) == stamp.get("sha256")
    except OSError:
        return False


def owned_files(folder: str | Path) -> list[str]:
    """Files (relative paths with '/') that the manifest of ``folder`` says retainlib wrote."""
    return sorted(_manifest(Path(folder)).get("files", {}))


def folder_kind(folder: str | Path) -> str | None:
    """What retainlib wrote ``folder`` as ('client report', 'demo data', ...); None if not ours."""
    kind = _manifest(Path(folder)).get("kind")
    return str(kind) if kind is not None else None


def folder_client(folder: str | Path) -> str | None:
    """The client whose report retainlib wrote into ``folder`` (None if not recorded)."""
    client = _manifest(Path(folder)).get("client")
    return str(client) if client is not None else None


def files_under(folder: str | Path) -> Iterator[str]:
    """Every file and symlink under ``folder``, as relative paths with '/' (not the manifests)."""
    folder = Path(folder)
    for root, dirs, files in os.walk(folder, followlinks=False):
        rel = Path(root).relative_to(folder)
        for name in sorted(files) + sorted(d for d in dirs if (Path(root) / d).is_symlink()):
            if name != MANIFEST:  # a manifest, at any depth, is retainlib's own bookkeeping
                yield (rel / name).as_posix()
        dirs[:] = sorted(d for d in dirs if not (Path(root) / d).is_symlink())


def foreign_entries(folder: str | Path, most: int | None = None) -> list[str]:
    """What ``folder`` holds that retainlib did not write (empty: safe to replace).

    A missing folder holds nothing; a file, or a symlink, in the folder's place
    is itself foreign; a folder without a retainlib manifest is foreign in
    every file it holds (an empty folder holds nothing to lose). A file the
    manifest lists but that changed since retainlib wrote it is foreign too
    (shown as ``name (changed since retainlib wrote it)``). ``most`` stops
    the search after that many.
    """
    folder = Path(folder)
    if not os.path.lexists(folder):
        return []
    if folder.is_symlink() or not folder.is_dir():
        return [folder.name]
    ours = _manifest(folder).get("files", {})
    found = []
    for rel in files_under(folder):
        if rel not in ours:
            found.append(rel)
        elif not _unchanged(folder / rel, ours[rel]):
            found.append(f"{rel} (changed since retainlib wrote it)")
        if most is not None and len(found) >= most:
            break
    return found


def _listing(names: list[str], more: bool = False) -> str:
    shown = ", ".join(names[:_SHOWN])
    return shown + (" and more" if more or len(names) > _SHOWN else "")


def check_replaceable(folder: str | Path, kind: str = REPORT, client: str | None = None) -> None:
    """Raise OutputError unless ``folder`` is absent, empty, or a ``kind`` folder all retainlib's.

    A folder retainlib wrote as something else (the demo data, which a report
    reads), or as the report of another client whose name gives the same
    folder name, is not replaced either.
    """
    folder = Path(folder)
    if os.path.lexists(folder) and (folder.is_symlink() or not folder.is_dir()):
        raise OutputError(f"{folder} already exists and is not a folder retainlib wrote; "
                          "choose another --out or move it away")
    found = foreign_entries(folder, most=_SHOWN + 1)
    if not found and folder_kind(folder) not in (kind, None):
        found = owned_files(folder)
    if found:
        raise OutputError(f"{folder} already exists and holds {_listing(found)}, which "
                          f"retainlib did not write as a {kind}; choose another --out (for "
                          f"example {folder.parent / 'reports'}) or move those files away")
    other = folder_client(folder)
    if client is not None and other is not None and other != client:
        raise OutputError(f"{folder} holds the report of client {other!r}, not {client!r}; "
                          "give the two clients names that differ in letters or digits, or "
                          "choose another --out")


def check_writable(folder: str | Path, names: Iterable[str]) -> None:
    """Raise OutputError when a file ``folder/name`` exists that retainlib did not write.

    A file retainlib wrote but someone changed since counts as not retainlib's.
    """
    folder = Path(folder)
    ours = _manifest(folder).get("files", {})
    found = []
    for n in names:
        if os.path.lexists(folder / n):
            if n not in ours:
                found.append(n)
            elif not _unchanged(folder / n, ours[n]):
                found.append(f"{n} (changed since retainlib wrote it)")
    if found:
        raise OutputError(f"{folder} already holds {_listing(found)}, which retainlib did not "
                          "write; choose another --out or move those files away")


def _write_manifest(folder: Path, files: dict, kind: str | None, client: str | None) -> None:
    import retainlib

    data = {"written_by": "retainlib", "version": retainlib.__version__, "kind": kind,
            "client": client, "files": dict(sorted(files.items()))}
    _atomic(folder / MANIFEST, json.dumps(data, indent=1, ensure_ascii=False) + "\n")


def write_manifest(folder: str | Path, kind: str = REPORT, client: str | None = None) -> None:
    """Record every file now in ``folder`` (recursively) as written by retainlib as a ``kind``."""
    folder = Path(folder)
    files = {rel: _stamp(folder / rel) for rel in files_under(folder)}
    _write_manifest(folder, files, kind, client)


def record(folder: str | Path, names: Iterable[str], kind: str | None = None) -> None:
    """Add ``names`` (files retainlib just wrote in ``folder``) to its manifest.

    ``kind`` is set when the folder has none yet (default: 'files').
    """
    folder = Path(folder)
    data = _manifest(folder)
    files = dict(data.get("files", {}))
    files.update({n: _stamp(folder / n) for n in names})
    _write_manifest(folder, files, data.get("kind") or kind or "files", data.get("client"))


def _atomic(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        os.chmod(tmp, file_mode())  # mkstemp makes it private; outputs are for reading
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text(path: str | Path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` atomically, if retainlib may; record it as ours.

    Raises
    ------
    OutputError
        ``path`` exists and the manifest of its folder does not list it.
    """
    path = Path(path)
    check_writable(path.parent, [path.name])
    _atomic(path, text)
    record(path.parent, [path.name])
    return path


def _reason(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or str(exc)


def output_root(out: str | Path, *, create: bool = True) -> Path:
    """The ``--out`` folder, resolved and created (with the umask's permissions), writable.

    With ``create=False`` only resolved and checked not to be a file (for the
    checks that must change nothing when they refuse).

    Raises
    ------
    OutputError
        ``out`` is a file, cannot be created, or cannot be written.
    """
    path = Path(out).expanduser()
    try:
        path = path.resolve()
        if path.exists() and not path.is_dir():
            raise OutputError(f"--out {out} is a file, not a folder; choose a folder such as "
                              f"{path.parent / 'reports'}")
        if not create:
            return path
        path.mkdir(parents=True, exist_ok=True)
    except OutputError:
        raise
    except (OSError, RuntimeError) as exc:  # RuntimeError: a symlink loop (Python < 3.13)
        raise OutputError(f"cannot create the output folder {out} ({_reason(exc)}); "
                          "choose a folder you can write to") from None
    _lock_folder(path)  # proves the folder is writable before anything runs
    return path


#: the folder inside OUT that holds the lock files (left in place: deleting a lock file races)
LOCKS = ".retainlib-locks"


def _lock_folder(root: Path) -> Path:
    folder = root / LOCKS
    if os.path.lexists(folder) and (folder.is_symlink() or not folder.is_dir()):
        raise OutputError(f"{folder} is not retainlib's lock folder (a file or a link); move it "
                          "away or choose another --out")
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot write in the output folder {root} ({_reason(exc)}); choose "
                          "a folder you can write to") from None
    return folder


@contextlib.contextmanager
def folder_lock(root: Path, name: str, what: str) -> Iterator[None]:
    """Hold the lock ``root/.retainlib-locks/<name>.lock``, or raise OutputError when it is taken.

    The operating system releases the lock when its process ends, so a
    crashed run never leaves a folder locked.
    """
    from filelock import FileLock, Timeout

    lock = FileLock(str(_lock_folder(root) / f"{name}.lock"), mode=file_mode())
    try:
        lock.acquire(timeout=0)
    except Timeout:
        raise OutputError(f"another retain run is writing {what} right now; wait for it to "
                          "finish and run again, or choose another --out") from None
    except OSError as exc:
        raise OutputError(f"cannot write in the output folder {root} ({_reason(exc)}); choose "
                          "a folder you can write to") from None
    try:
        yield
    finally:
        lock.release()


def remove_tree(folder: Path) -> None:
    """Delete a folder retainlib made itself (a temporary or replaced client folder).

    A folder without a retainlib manifest is left alone, whatever the caller thought.
    """
    if (folder / MANIFEST).is_file() and not folder.is_symlink():
        shutil.rmtree(folder, ignore_errors=True)
