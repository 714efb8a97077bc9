#!/usr/bin/env python3
"""Is a venv restored from the Actions cache whole? Every installed file against its RECORD hash.

scripts/ci/install.sh runs it with the venv's own python before reusing a cached venv: a cache entry
cut short, or a file changed after pip wrote it, sends install.sh back to a hash-checked install.
Usage: verify-venv.py [SITE_DIR...] (default: this python's sys.path).
Exit 0 when every file with a recorded hash matches; 1 naming the first that does not.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import sys
from importlib import metadata
from pathlib import Path


def main() -> int:
    checked = 0
    paths = sys.argv[1:] or sys.path
    for dist in metadata.distributions(path=paths):
        record = dist.read_text("RECORD")
        if record is None:
            continue
        base = Path(str(dist.locate_file("")))
        for row in csv.reader(record.splitlines()):
            if len(row) < 2 or not row[1].startswith("sha256="):
                continue
            path = base / row[0]
            try:
                digest = hashlib.sha256(path.read_bytes()).digest()
            except OSError:
                print(f"verify-venv: {path} is missing", file=sys.stderr)
                return 1
            if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != row[1].removeprefix("sha256="):
                print(f"verify-venv: {path} does not match its RECORD hash", file=sys.stderr)
                return 1
            checked += 1
    print(f"verify-venv: {checked} file(s) match their RECORD hashes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
