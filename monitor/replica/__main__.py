"""`python -m monitor.replica [--port P] [--variant NAME] [--list]`: serve the replica by hand."""

from __future__ import annotations

import argparse
import sys

from . import VARIANTS, make_server
from .variants import DEFAULT_VARIANT, UnknownVariant


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m monitor.replica", description=__doc__)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--variant", default=DEFAULT_VARIANT)
    parser.add_argument("--list", action="store_true", help="print each variant and its expected verdict")
    parser.add_argument("--verbose", action="store_true", help="log every request to stderr")
    args = parser.parse_args(argv)
    if args.list:
        for variant in VARIANTS.values():
            print(f"{variant.name}\t{variant.expected}")
        return 0
    try:
        server = make_server(args.port, args.variant, args.host)
    except UnknownVariant as exc:
        print(exc, file=sys.stderr)
        return 2
    server.verbose = args.verbose
    base = f"http://{args.host}:{server.server_port}"
    print(f"--site facebook={base} --site instagram={base}")
    print(f"replica ({server.variant}) on {base}/ - Ctrl+C stops it", file=sys.stderr)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
