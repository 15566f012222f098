"""Shared fixtures: a fresh run directory per test, and the nntop binary."""

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def run_dir(tmp_path: Path) -> Path:
    return tmp_path / "run"


@pytest.fixture
def nntop_binary() -> str:
    """``NNTOP_BINARY``, else the package's own build (release first)."""
    for candidate in [os.environ.get("NNTOP_BINARY"), REPO / ".build/release/nntop", REPO / ".build/debug/nntop", shutil.which("nntop")]:
        if candidate and Path(candidate).is_file():
            return str(candidate)
    pytest.skip("no nntop binary: swift build first")
