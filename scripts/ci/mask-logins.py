#!/usr/bin/env python3
"""Step "Mask the logins": before any step can print them, register with `::add-mask::` every cookie
and local-storage value of the login states, and each name in OPTOUT_MASK_TEXT.

The states arrive as the workflow passes its secrets: OPTOUT_<SITE>_STORAGE_STATE, one base64
string each (monitor/guard/loginsecret.py). GitHub redacts a secret only as that whole string; a cookie
value printed on its own (a trace, an error quoting a header) would otherwise show. Runs from the
checkout, before anything is installed. Prints no value, only how many were masked.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from monitor.guard import loginsecret

STATE_VARIABLE = re.compile(r"OPTOUT_[A-Z0-9_]+_STORAGE_STATE")
FIX = "store it again as base64: optout-monitor auth SITE --out FILE prints the command (docs/forking.md)"


def main() -> int:
    env = os.environ
    failed = False
    names = sorted(n for n in env if STATE_VARIABLE.fullmatch(n))
    for name in names:
        value = env[name]
        if not value.strip():
            print(f"{name} is empty: the journeys that need this login will report blocked (login)")
            continue
        text = loginsecret.decode(value)
        if text is None and value.lstrip().startswith("{"):
            print(f"::warning::{name} holds JSON, which GitHub cannot redact part by part; {FIX}")
            text = value
        if text is None:
            print(f"::error::{name} is neither base64 nor JSON; {FIX}")
            failed = True
            continue
        try:
            state = loginsecret.parse(text, f"${name}")
        except ValueError as exc:
            print(f"::error::{exc}; {FIX}")
            failed = True
            continue
        lines = loginsecret.mask_commands(loginsecret.secret_values(state))
        for line in lines:
            print(line)
        print(f"{name}: masked {len(lines)} value(s) of {len(state['cookies'])} cookie(s)")
    people = [p.strip() for p in env.get("OPTOUT_MASK_TEXT", "").split("|") if p.strip()]
    lines = loginsecret.mask_commands(people)
    for line in lines:
        print(line)
    if people:
        print(f"OPTOUT_MASK_TEXT: masked {len(lines)} name(s)")
    if not names:
        print("no login state given: the journeys that need a login will report blocked (login)")
    sys.stdout.flush()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
