"""The output folder of ``ecokg build``: complete generations, switched with one rename.

A build writes a whole new generation beside the graph readers use, then switches to it
with one atomic rename, so a build that dies at any moment leaves either the old graph or
the new one, whole::

    OUT/.lock                      flock(2)ed by the build writing OUT (one writer at a time)
    OUT/generations/<id>/          store/, ecokg.ttl, ecokg.nt, ecokg.jsonld, ontology.ttl, summary.json, merges.json,
                                   neo4j-rows.jsonl (the rows `ecokg load neo4j` writes), names.json,
                                   skeleton.json, answers/ (index.json and a file per question)
    OUT/generations/.staging-<id>/ a build in progress (removed by the next build if that one died)
    OUT/current -> generations/<id>          the generation readers see (replaced atomically)
    OUT/store -> current/store, OUT/ecokg.ttl -> current/ecokg.ttl, ...   (made once; follow the switch)
    OUT/views/, OUT/roster.json    written by ``ecokg viz`` and ``ecokg export`` (not generations)

The previous generation is kept (a running ``ecokg serve`` or reader may have it open); older
ones and staging folders of dead builds are removed by the next build, under the lock. An
output folder written before generations existed (real files at the top) is taken over on the
first build without losing its graph before the new one is current.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import shutil
import time
import uuid
from pathlib import Path
from typing import Iterator

from ecokg.graph.stores.oxigraph import CURRENT, GENERATIONS, STORE_DIR
from ecokg.ontology.errors import BackendError

LOCK = ".lock"
STAGING = ".staging-"
LEGACY_STAGING = ".build-"  # staging folders of builds before generations
#: The names at the top of OUT that point into the current generation.
LINKED = (STORE_DIR, "ecokg.ttl", "ecokg.nt", "ecokg.jsonld", "ontology.ttl", "summary.json", "merges.json")


def _why(e: OSError) -> str:
    return e.strerror or str(e)


def check_out_dir(out: Path) -> Path:
    """Create ``out`` if needed; its absolute path. (:func:`writer_lock` then proves it writable.)

    Raises:
        BackendError: one line naming the folder and the reason (a file, under a file,
            not writable, a read-only or virtual file system ...).
    """
    out = Path(out).absolute()
    for parent in [out, *out.parents]:
        if parent.exists() and not parent.is_dir():
            what = "exists and is not a folder" if parent == out else f"is under {parent}, which is not a folder"
            raise BackendError(f"cannot write the graph to {out}: it {what}")
        if parent.exists():
            break
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        existing = next((p for p in out.parents if p.exists()), Path("/"))
        raise BackendError(f"cannot write the graph to {out}: cannot create a folder in {existing} "
                           f"({_why(e)})") from None
    return out


@contextlib.contextmanager
def writer_lock(out: Path) -> Iterator[None]:
    """Hold the one-writer lock of ``out`` (``OUT/.lock``, ``flock``: the kernel releases it when
    the process dies, so a crash leaves no stale lock).

    Raises:
        BackendError: another build holds it (its pid named), or the lock file cannot be made.
    """
    path = Path(out) / LOCK
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as e:
        raise BackendError(f"cannot write the graph to {out}: {_why(e)}") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as e:
            if e.errno not in (errno.EWOULDBLOCK, errno.EAGAIN):
                raise BackendError(f"cannot lock {path}: {_why(e)}") from None
            pid = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "unknown"
            raise BackendError(f"another ecokg build (pid {pid}) is writing {out}; "
                               "wait for it or use another --out") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        yield
    finally:
        os.close(fd)  # releases the flock


def new_id() -> str:
    """A fresh generation id: UTC time (sorts by age) and a random suffix."""
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()) + "-" + uuid.uuid4().hex[:6]


def staging_dir(out: Path) -> Path:
    """A new, empty staging folder under ``OUT/generations`` for a build to write into."""
    folder = Path(out) / GENERATIONS / f"{STAGING}{new_id()}"
    folder.mkdir(parents=True)
    return folder


def staging_id(staging: Path) -> str:
    """The id the generation being written in ``staging`` will have."""
    return staging.name.removeprefix(STAGING)


def current_id(out: Path) -> str | None:
    """The generation ``OUT/current`` points to (None when there is none)."""
    try:
        return Path(os.readlink(Path(out) / CURRENT)).name
    except OSError:
        return None


def fsync_tree(root: Path) -> None:
    """Flush every file and folder under ``root`` (and ``root``) to disk."""
    for folder, _dirs, files in os.walk(root):
        for name in files:
            fd = os.open(os.path.join(folder, name), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        _fsync_dir(Path(folder))


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _symlink(out: Path, name: str, target: str) -> None:
    """Make ``OUT/name`` a symlink to ``target`` in one rename (a real folder there is moved aside
    into ``generations``, where the cleanup removes it)."""
    link = out / name
    if link.is_symlink() and os.readlink(link) == target:
        return
    if link.is_dir() and not link.is_symlink():
        link.rename(out / GENERATIONS / f"{STAGING}old-{name}-{uuid.uuid4().hex[:6]}")
    tmp = out / f"{name}.tmp"
    tmp.unlink(missing_ok=True)
    os.symlink(target, tmp)
    os.replace(tmp, link)


def _link_or_copy(src: str | Path, dst: str | Path) -> None:
    """Hard-link ``src`` to ``dst`` (no second copy of a large store), or copy it where links fail."""
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _adopt_legacy(out: Path) -> str | None:
    """Turn a graph written before generations (real files at the top of OUT) into a generation
    that ``current`` points to, without removing a file of it; its id, or None if there is none."""
    if current_id(out) is not None or not (out / STORE_DIR).is_dir() or (out / STORE_DIR).is_symlink():
        return None
    gid = "legacy-" + new_id()
    staging = out / GENERATIONS / f"{STAGING}{gid}"
    staging.mkdir(parents=True)
    for name in LINKED:
        src = out / name
        if src.is_dir() and not src.is_symlink():
            shutil.copytree(src, staging / name, copy_function=_link_or_copy)
        elif src.is_file() and not src.is_symlink():
            _link_or_copy(src, staging / name)
    fsync_tree(staging)
    staging.rename(out / GENERATIONS / gid)
    _switch(out, gid)
    for name in LINKED:
        _symlink(out, name, f"{CURRENT}/{name}")
    _fsync_dir(out)
    return gid


def _switch(out: Path, gid: str) -> None:
    """Point ``OUT/current`` at generation ``gid`` with one atomic rename, and flush that."""
    _symlink(out, CURRENT, f"{GENERATIONS}/{gid}")
    _fsync_dir(out)


def publish(out: Path, staging: Path) -> str:
    """Make the complete generation in ``staging`` the current one; its id.

    Flushes it to disk, renames it to ``generations/<id>``, adopts a legacy layout, switches
    ``current`` in one rename, makes the top-level links, then removes all but the new and the
    previous generation. Call with :func:`writer_lock` held.
    """
    out = Path(out)
    gid = staging_id(staging)
    fsync_tree(staging)
    final = out / GENERATIONS / gid
    staging.rename(final)
    _fsync_dir(final.parent)
    previous = _adopt_legacy(out) or current_id(out)
    _switch(out, gid)
    for name in LINKED:
        _symlink(out, name, f"{CURRENT}/{name}")
    _fsync_dir(out)
    cleanup(out, keep={gid, previous} - {None})
    return gid


def cleanup(out: Path, keep: set[str | None]) -> list[Path]:
    """Remove every generation but ``keep``, staging folders of dead builds and leftovers of an
    interrupted switch; what it removed. Call with :func:`writer_lock` held."""
    out = Path(out)
    removed: list[Path] = []
    gens = out / GENERATIONS
    candidates = [p for p in gens.iterdir() if p.name not in keep] if gens.is_dir() else []
    candidates += [p for p in out.glob(f"{LEGACY_STAGING}*") if p.is_dir() and not p.is_symlink()]
    candidates += [p for p in out.glob("*.tmp") if p.is_symlink()]
    for path in candidates:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
        removed.append(path)
    return removed


__all__ = ["LINKED", "LOCK", "check_out_dir", "cleanup", "current_id", "fsync_tree", "new_id", "publish",
           "staging_dir", "staging_id", "writer_lock"]
