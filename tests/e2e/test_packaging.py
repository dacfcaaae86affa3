"""The packaging files (Dockerfile, deploy/kubernetes, deploy/systemd, the image build
script) checked where they can be without a Docker engine or a cluster: see
tests/deploy/check_packaging.py for what it asserts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_packaging_files_agree_with_the_server() -> None:
    checked = subprocess.run(
        [sys.executable, str(REPO / "tests" / "deploy" / "check_packaging.py")],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert checked.returncode == 0, f"check_packaging.py failed:\n{checked.stdout}\n{checked.stderr}"
