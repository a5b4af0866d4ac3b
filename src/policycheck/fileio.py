"""Reading and writing the user's files safely.

Reading: never blocks on a FIFO, never reads a device, never reads more than a cap
(an input is one regular file of bounded size, or an :class:`InputError`).

Writing: a regular file is replaced atomically (a failed run never leaves half a
file), keeping the mode of the file it replaces, or taking the umask's mode when
new; anything else that exists (a device, a FIFO, a terminal) is written in place,
never replaced.
"""

from __future__ import annotations

import contextlib
import errno
import mmap
import os
import signal
import stat
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # not on Windows: files are then read, never mapped
    fcntl = None  # type: ignore[assignment]

from policycheck.errors import InputError
from policycheck.i18n import N_

DEFAULT_MAX_INPUT = 256 * 1024 * 1024
"""The largest input file read (bytes), unless the TOML table sets ``max_input_mib``."""


# The input read last, for the one-line report of an error no reader caught
# (MemoryError, RecursionError while the data is being used).
last_input: list[Path] = []


def read_capped(path: Path, max_bytes: int = DEFAULT_MAX_INPUT) -> bytes:
    """The bytes of the regular file ``path``, at most ``max_bytes`` of them.

    Opened without blocking (a FIFO with no writer does not hang the run) and
    checked to be a regular file before anything is read.
    """
    fd, size = _open_regular(path, max_bytes)
    try:
        return _read_open(fd, size, path, max_bytes)
    finally:
        os.close(fd)


MAP_FROM = 8 * 1024 * 1024
"""Files at least this large are mapped by :func:`read_mapped`, not copied."""


@contextlib.contextmanager
def read_mapped(path: Path, max_bytes: int = DEFAULT_MAX_INPUT) -> Iterator[bytes | mmap.mmap]:
    """:func:`read_capped` for a file that is decoded within the ``with`` block: a
    large one (:data:`MAP_FROM`) is mapped read-only instead of copied. On a
    100,000-item needs.json that saves a copy of 163 MB and the 39,000 page faults of
    the memory it would fill: about 0.08 s of the standalone check's 1.2 s.

    A mapped file that another process truncated would kill the reader with SIGBUS,
    so the file is mapped only under a read lease (Linux): until the block ends, any
    process that opens it for writing or truncates it waits. Where no lease can be
    taken (another platform, a file open for writing, not the file's owner, a file
    system without leases, not the main thread), the file is read as by
    :func:`read_capped`. (The kernel breaks a lease its holder keeps longer than
    ``/proc/sys/fs/lease-break-time``, 45 s by default: far longer than decoding a
    million items takes.)"""
    fd, size = _open_regular(path, max_bytes)
    try:
        leased = _leased_map(fd, size) if size >= MAP_FROM else None
        if leased is None:
            yield _read_open(fd, size, path, max_bytes)
            return
        view, let_go = leased
        try:
            yield view
        finally:
            with contextlib.suppress(BufferError):  # (a view still exported: never read)
                view.close()
            let_go()
    finally:
        os.close(fd)


_F_SETLEASE: int | None = getattr(fcntl, "F_SETLEASE", None) if fcntl is not None else None


def _leased_map(fd: int, size: int) -> tuple[mmap.mmap, Callable[[], None]] | None:
    """A read-only map of ``fd`` under a read lease, and what lets the lease go; None
    when there can be no lease. SIGIO, which tells a lease holder that a writer
    waits, is ignored meanwhile (its default would end the run)."""
    setlease = _F_SETLEASE
    if setlease is None or threading.current_thread() is not threading.main_thread():
        return None
    previous = signal.getsignal(signal.SIGIO)
    if previous is None:  # a handler not set from Python: it could not be put back
        return None

    def let_go() -> None:
        with contextlib.suppress(OSError):
            fcntl.fcntl(fd, setlease, fcntl.F_UNLCK)
        signal.signal(signal.SIGIO, previous)

    signal.signal(signal.SIGIO, signal.SIG_IGN)
    try:
        fcntl.fcntl(fd, setlease, fcntl.F_RDLCK)
    except OSError:
        signal.signal(signal.SIGIO, previous)
        return None
    try:
        return mmap.mmap(fd, size, access=mmap.ACCESS_READ), let_go
    except (OSError, ValueError, OverflowError):
        let_go()
        return None


_CANNOT_READ = N_("cannot read: {reason}")
UTF16 = N_("UTF-16 text, not UTF-8: save the file as UTF-8")
BOM = b"\xef\xbb\xbf"


def is_utf16(data: bytes | mmap.mmap) -> bool:
    """Whether ``data`` is UTF-16 text: its byte-order mark, or, without one, a NUL
    beside an ASCII character in its first two bytes (as ``{`` or ``#`` is written in
    UTF-16), which no UTF-8 text of ours starts with."""
    head = bytes(data[:2])
    if head in (b"\xff\xfe", b"\xfe\xff"):
        return True
    return len(head) == 2 and head.count(0) == 1 and 0 < max(head) < 0x80


def _open_regular(path: Path, max_bytes: int) -> tuple[int, int]:
    """An open descriptor of the regular file ``path`` and its size, which is at
    most ``max_bytes``."""
    last_input[:] = [path]
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise InputError(N_("no such file"), path) from None
    except IsADirectoryError:
        raise InputError(N_("is a folder, not a file"), path) from None
    except OSError as exc:
        raise InputError(_CANNOT_READ, path, reason=str(exc.strerror or exc)) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise InputError(N_("is a folder, not a file"), path)
        if not stat.S_ISREG(info.st_mode):
            raise InputError(N_("not a regular file (a device, FIFO or socket)"), path)
        if info.st_size > max_bytes:
            raise _too_large(max_bytes, path)
    except BaseException:
        os.close(fd)
        raise
    return fd, info.st_size


def read_stream_capped(fd: int, name: str, max_bytes: int = DEFAULT_MAX_INPUT) -> bytes:
    """A pipe (or any open stream) ``fd`` read to its end, at most ``max_bytes``;
    ``name`` is what errors call it (``<stdin>``)."""
    return _read_open(fd, 0, name, max_bytes)


def _read_open(fd: int, size: int, path: Path | str, max_bytes: int) -> bytes:
    try:
        # one read for the whole file as fstat sees it (no copy), then to the end
        chunks = [os.read(fd, size + 1)]
        left = max_bytes + 1 - len(chunks[0])
        while left > 0 and chunks[-1]:
            chunks.append(os.read(fd, min(left, 1 << 20)))
            left -= len(chunks[-1])
    except OSError as exc:
        raise InputError(_CANNOT_READ, path, reason=str(exc.strerror or exc)) from None
    data = chunks[0] if len(chunks) == 1 or not chunks[1] else b"".join(chunks)
    if len(data) > max_bytes:  # grew while being read
        raise _too_large(max_bytes, path)
    return data


def _too_large(max_bytes: int, path: Path | str) -> InputError:
    return InputError(
        N_(
            "larger than the input size limit of {mib} MiB (max_input_mib in the policycheck table)"
        ),
        path,
        mib=max_bytes // (1024 * 1024),
    )


def read_text_capped(path: Path, max_bytes: int = DEFAULT_MAX_INPUT) -> str:
    """:func:`read_capped`, decoded as UTF-8 (else an error naming file and line)."""
    data = read_capped(path, max_bytes)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(N_("not UTF-8 text ({reason})"), path, line, reason=exc.reason) from None


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path``: atomically for a regular file, in place otherwise."""
    data = text.encode("utf-8")
    if str(path) == "-":
        sys.stdout.buffer.write(data) if hasattr(sys.stdout, "buffer") else sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        info = os.stat(path)
    except FileNotFoundError:
        info = None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(errno.EISDIR, "is a folder", str(path))
    if info is not None and not stat.S_ISREG(info.st_mode):
        _write_in_place(path, data)
        return
    mode = stat.S_IMODE(info.st_mode) if info is not None else 0o666 & ~_umask()
    path.parent.mkdir(parents=True, exist_ok=True)
    import tempfile  # only here: a check that writes to stdout never loads it

    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _write_in_place(path: Path, data: bytes) -> None:
    """A device, FIFO or terminal: opened for writing as it is (never replaced)."""
    fd = os.open(path, os.O_WRONLY | getattr(os, "O_CLOEXEC", 0))
    try:
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
    finally:
        os.close(fd)
