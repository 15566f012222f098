"""The safetensors container with the standard library only: an 8-byte
little-endian header length, a JSON header (dtype, shape, byte offsets per
tensor, ``__metadata__`` strings), then the raw little-endian data.
Only F32 is written and read, which is what nntop's checkpoints hold."""

from __future__ import annotations

import json
import os
import struct
import tempfile
from array import array
from typing import Mapping, Sequence


class Tensor:
    """A row-major F32 tensor: its shape and its values."""

    def __init__(self, shape: Sequence[int], values: "array[float]") -> None:
        count = 1
        for d in shape:
            count *= d
        if len(values) != count:
            raise ValueError(f"shape {list(shape)} needs {count} values, got {len(values)}")
        self.shape = list(shape)
        self.values = values


def read(path: str | os.PathLike[str]) -> tuple[dict[str, Tensor], dict[str, str]]:
    """The tensors and the metadata of a safetensors file."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 8:
        raise ValueError(f"{os.fspath(path)}: too short for a safetensors file")
    (length,) = struct.unpack("<Q", data[:8])
    if length > len(data) - 8:
        raise ValueError(f"{os.fspath(path)}: header longer than the file")
    header = json.loads(data[8 : 8 + length])
    body = memoryview(data)[8 + length :]
    metadata = header.pop("__metadata__", {}) or {}
    tensors: dict[str, Tensor] = {}
    for name, entry in header.items():
        if entry.get("dtype") != "F32":
            raise ValueError(f"{os.fspath(path)}: {name} is {entry.get('dtype')}, not F32")
        start, end = entry["data_offsets"]
        values = array("f")
        values.frombytes(bytes(body[start:end]))
        if struct.pack("=I", 1)[0] != 1:  # big-endian host: the file is little-endian
            values.byteswap()
        tensors[name] = Tensor(entry["shape"], values)
    return tensors, dict(metadata)


def write(path: str | os.PathLike[str], tensors: Mapping[str, tuple[Sequence[int], bytes]], metadata: Mapping[str, str]) -> None:
    """Writes F32 tensors given as (shape, little-endian bytes), atomically
    (a temporary file in the same folder, fsynced, renamed over ``path``)."""
    header: dict[str, object] = {"__metadata__": dict(metadata)}
    offset = 0
    for name in sorted(tensors):
        shape, raw = tensors[name]
        header[name] = {"dtype": "F32", "shape": list(shape), "data_offsets": [offset, offset + len(raw)]}
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)  # the data starts 8-byte aligned
    folder = os.path.dirname(os.path.abspath(path))
    fd, temporary = tempfile.mkstemp(prefix=".nntop-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(struct.pack("<Q", len(text)))
            f.write(text)
            for name in sorted(tensors):
                f.write(tensors[name][1])
            f.flush()
            os.fsync(f.fileno())
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
