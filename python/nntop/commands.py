"""Commands from ``nntop watch``: one JSON object a line in the run
directory's ``commands.jsonl``, e.g. ``{"id": 3, "command": "set-lr", "lr": 0.01}``.

The file is read from where the last read stopped, and only if it is
owned by this process's user and writable by no one else (the commands steer
the process); otherwise it is ignored, with one warning. A line that is not
a command is handed on as a refusal, never raised.
"""

from __future__ import annotations

import json
import math
import os
import stat
import sys
from dataclasses import dataclass, field
from typing import Any, Optional

KNOWN = ("pause", "resume", "step", "set-lr", "scale-lr", "save", "stop")


@dataclass(frozen=True)
class Command:
    """One command, checked: ``problem`` says why it cannot be carried out."""

    id: Optional[int]
    name: str
    count: int = 1
    lr: Optional[float] = None
    factor: Optional[float] = None
    problem: Optional[str] = None
    raw: dict[str, Any] = field(default_factory=dict)


def parse(line: str) -> Command:
    """A command from one line; a bad line gives a command with a ``problem``."""
    try:
        obj = json.loads(line)
    except ValueError:
        return Command(None, "?", problem="not a JSON line")
    if not isinstance(obj, dict):
        return Command(None, "?", problem="not a JSON object")
    ident = obj.get("id")
    ident = ident if isinstance(ident, int) and not isinstance(ident, bool) else None
    name = obj.get("command")
    if not isinstance(name, str):
        return Command(ident, "?", problem='no "command"', raw=obj)
    if name not in KNOWN:
        return Command(ident, name, problem=f"unknown command {name!r}", raw=obj)

    def number(key: str) -> Optional[float]:
        value = obj.get(key)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return None
        return float(value) if math.isfinite(value) and value > 0 else None

    if name == "step":
        count = obj.get("count", 1)
        if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= 1_000_000:
            return Command(ident, name, problem="count must be a whole number from 1 to 1,000,000", raw=obj)
        return Command(ident, name, count=count, raw=obj)
    if name == "set-lr":
        lr = number("lr")
        return Command(ident, name, lr=lr, raw=obj) if lr else Command(ident, name, problem="lr must be a positive number", raw=obj)
    if name == "scale-lr":
        factor = number("factor")
        if not factor:
            return Command(ident, name, problem="factor must be a positive number", raw=obj)
        return Command(ident, name, factor=factor, raw=obj)
    return Command(ident, name, raw=obj)


class CommandReader:
    """Reads the commands appended since the last call."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = os.fspath(path)
        self.offset = 0
        self._pending = b""
        self._warned = False
        self._identity: Optional[tuple[int, int]] = None

    def _warn_once(self, message: str) -> None:
        if not self._warned:
            self._warned = True
            print(f"nntop: {self.path}: {message}; its commands are ignored", file=sys.stderr)

    def read_lines(self) -> list[str]:
        """The new complete, non-blank lines (none when the file is absent or
        unsafe), unparsed: ``parse`` makes each a command, on every rank that
        rank 0 hands them on to."""
        try:
            fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
        except FileNotFoundError:
            return []
        except OSError as error:
            self._warn_once(f"cannot be read ({error.strerror})")
            return []
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                self._warn_once("not a regular file")
                return []
            if hasattr(os, "getuid") and info.st_uid != os.getuid():
                self._warn_once("owned by another user")
                return []
            if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
                self._warn_once("writable by other users")
                return []
            identity = (info.st_dev, info.st_ino)
            if identity != self._identity or info.st_size < self.offset:
                # A new file (or one cut short): read it from the start.
                self._identity, self.offset, self._pending = identity, 0, b""
            if info.st_size == self.offset:
                return []
            os.lseek(fd, self.offset, os.SEEK_SET)
            data = os.read(fd, info.st_size - self.offset)
        finally:
            os.close(fd)
        self.offset += len(data)
        lines = (self._pending + data).split(b"\n")
        self._pending = lines.pop()
        return [line.decode("utf-8", "replace") for line in lines if line.strip()]
