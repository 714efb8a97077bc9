"""The setup cache (scripts/ci/install.sh with OPTOUT_CACHE): a restored venv is reused only when whole."""

from __future__ import annotations

import base64
import hashlib
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VERIFY = ROOT / "scripts" / "verify-venv.py"


def record_hash(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def fake_site(tmp: Path) -> Path:
    """A site folder holding one installed distribution, as pip leaves it."""
    site = tmp / "site"
    (site / "cachedpkg").mkdir(parents=True)
    (site / "cachedpkg" / "__init__.py").write_bytes(b"VALUE = 1\n")
    info = site / "cachedpkg-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: cachedpkg\nVersion: 1.0\n")
    (info / "RECORD").write_text(
        f"cachedpkg/__init__.py,{record_hash(b'VALUE = 1' + bytes([10]))},10\n"
        "cachedpkg-1.0.dist-info/METADATA,,\ncachedpkg-1.0.dist-info/RECORD,,\n"
    )
    return site


def verify(site: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(VERIFY), str(site)], capture_output=True, text=True, check=False)


def test_a_restored_venv_whose_files_match_their_record_is_reused(tmp_path: Path) -> None:
    proc = verify(fake_site(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert "match their RECORD hashes" in proc.stdout


def test_a_changed_file_in_a_restored_venv_sends_install_back_to_a_hashed_install(tmp_path: Path) -> None:
    site = fake_site(tmp_path)
    (site / "cachedpkg" / "__init__.py").write_bytes(b"VALUE = 2\n")
    proc = verify(site)
    assert proc.returncode == 1 and "cachedpkg/__init__.py does not match its RECORD hash" in proc.stderr
    (site / "cachedpkg" / "__init__.py").unlink()
    gone = verify(site)
    assert gone.returncode == 1 and "cachedpkg/__init__.py is missing" in gone.stderr


def test_install_reuses_a_venv_only_with_the_locks_stamp_and_a_verified_tree() -> None:
    script = (ROOT / "scripts" / "ci" / "install.sh").read_text()
    reuse = script.index("reusing the cached venv")
    assert script.index('cat "$venv/.optout-lock.sha256"') < reuse and script.index("verify-venv.py") < reuse
    assert "--require-hashes --requirement" in script.split("reusing the cached venv", 1)[1].split("fi\n", 1)[0]
