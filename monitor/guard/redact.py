"""Redaction: the account's identity out of every text the monitor stores.

The monitor runs with a real, logged-in account and everything it commits is public. One
function, `Identity.redact`, replaces the account's names (each token on its own, in any case and
with or without accents), its user name, any e-mail address and any phone number with stable
placeholders, so that a redacted text compares equal run after run. The identity comes from
`$OPTOUT_MASK_TEXT` ("Full Name|user.name") and from what a walk reads itself (the profile name
in the account menu, a pre-filled e-mail field).
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel

MASK_ENV = "OPTOUT_MASK_TEXT"
MIN_TOKEN = 3  # shorter name parts ("Al", "Bo") would hit ordinary words everywhere

FIRST = "[first name]"
LAST = "[last name]"
NAME = "[name]"
HANDLE = "[user name]"
EMAIL = "[email]"
PHONE = "[phone]"
PLACEHOLDERS = (FIRST, LAST, NAME, HANDLE, EMAIL, PHONE)

EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
# An international number (+ and 8+ digits) or 9+ digits with the usual separators; dates
# (2025-05-27: 8 digits) and counters (1,024) stay.
# Not inside a URL or an identifier: a number right after "/", "=", "#", ":", "." or a letter is
# an id (Meta's form is /help/contact/712876720715583), not a phone number.
PHONE_RE = re.compile(r"(?<![\w+/=#:.&?-])(?:\+\d[\d ().\-/]{6,}\d|\d[\d ().\-]{7,}\d)(?![\w/])")
_WORD = re.compile(r"[^\W_]+(?:[._-][^\W_]+)*")

R = TypeVar("R", bound=BaseModel)


def fold(text: str) -> str:
    """Case- and accent-insensitive form of a text ("Zoë" and "ZOE" fold alike)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _folded_with_map(text: str) -> tuple[str, list[int]]:
    """text folded, and for each folded character the index of the original character it came from."""
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        f = fold(ch)
        out.append(f)
        where.extend([i] * len(f))
    return "".join(out), where


_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./]\d{1,2}[./]\d{2,4}")


def _is_phone(candidate: str) -> bool:
    digits = sum(c.isdigit() for c in candidate)
    if _DATE.search(candidate):
        return False
    return digits >= 8 if candidate.startswith("+") else digits >= 9


@dataclass(frozen=True)
class Identity:
    """Who the account is: name tokens with their placeholder, user names, e-mail addresses."""

    names: tuple[tuple[str, str], ...] = ()  # (token, placeholder), longest first
    handles: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()

    @classmethod
    def parse(cls, value: str) -> Identity:
        """`Full Name|user.name|someone@example.org`: '|'-separated entries, as in $OPTOUT_MASK_TEXT."""
        return cls().add(t for t in value.split("|"))

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, variables: Iterable[str] = (MASK_ENV,)) -> Identity:
        source = os.environ if env is None else env
        out = cls()
        for var in variables:
            out = out.add(source.get(var, "").split("|"))
        return out

    def add(self, entries: Iterable[str]) -> Identity:
        """This identity plus entries: a full name, a user name or an e-mail address each."""
        names = dict(self.names)
        handles = list(self.handles)
        emails = list(self.emails)
        for raw in entries:
            entry = " ".join(raw.split())
            if not entry:
                continue
            if EMAIL_RE.fullmatch(entry):
                if entry.lower() not in emails:
                    emails.append(entry.lower())
                local = entry.split("@", 1)[0]
                entry = local  # the local part is usually the user name
            parts = entry.split(" ")
            if len(parts) == 1 and re.search(r"[._\d]", entry):
                if len(entry) >= MIN_TOKEN and fold(entry) not in {fold(h) for h in handles}:
                    handles.append(entry)
                parts = [p for p in re.split(r"[._\-\d]+", entry) if p]
                for p in parts:
                    if len(p) >= MIN_TOKEN:
                        names.setdefault(fold(p), NAME)
                continue
            for i, part in enumerate(parts):
                token = part.strip(".,;:()\"'")
                if len(token) < MIN_TOKEN:
                    continue
                placeholder = NAME
                if len(parts) > 1:
                    placeholder = FIRST if i == 0 else LAST if i == len(parts) - 1 else NAME
                key = fold(token)
                if names.get(key, NAME) == NAME:
                    names[key] = placeholder
        ordered = tuple(sorted(names.items(), key=lambda kv: (-len(kv[0]), kv[0])))
        return Identity(ordered, tuple(sorted(handles, key=len, reverse=True)), tuple(emails))

    def __bool__(self) -> bool:
        return bool(self.names or self.handles or self.emails)

    @property
    def tokens(self) -> list[str]:
        """Every folded string that must not appear in anything stored (what the gate looks for)."""
        return sorted({fold(h) for h in self.handles} | {t for t, _ in self.names} | set(self.emails))

    def redact(self, text: str) -> str:
        """text without the identity, any e-mail address or phone number; placeholders are stable."""
        if not text:
            return text
        text = EMAIL_RE.sub(EMAIL, text)
        text = PHONE_RE.sub(lambda m: PHONE if _is_phone(m.group()) else m.group(), text)
        for handle in self.handles:
            text = self._replace(text, fold(handle), HANDLE)
        for token, placeholder in self.names:
            text = self._replace(text, token, placeholder)
        return text

    @staticmethod
    def _replace(text: str, token: str, placeholder: str) -> str:
        folded, where = _folded_with_map(text)
        pattern = re.compile(r"(?<![^\W_])" + re.escape(token) + r"(?![^\W_])")
        spans = [(where[m.start()], where[m.end() - 1] + 1) for m in pattern.finditer(folded)]
        for start, end in reversed(spans):
            text = text[:start] + placeholder + text[end:]
        return text

    def find(self, text: str) -> list[tuple[int, str]]:
        """(offset, kind) of every identity token in text; the token itself is never returned."""
        folded, where = _folded_with_map(text)
        hits: list[tuple[int, str]] = []
        for token in self.tokens:
            kind = (
                "e-mail address"
                if "@" in token
                else "user name"
                if token in {fold(h) for h in self.handles}
                else "name"
            )
            pattern = re.compile(r"(?<![^\W_])" + re.escape(token) + r"(?![^\W_])")
            hits += [(where[m.start()], kind) for m in pattern.finditer(folded)]
        return sorted(set(hits))

    def redact_record(self, record: R) -> R:
        """A copy of a record with every text in it redacted (nested records and lists too); the
        fields that name things the monitor itself chose (ids, file names, hashes, enums) stay."""
        data = record.model_dump(mode="python")
        return type(record).model_validate(self._walk(data))

    def _walk(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.redact(value)
        if isinstance(value, dict):
            return {k: v if k in STRUCTURAL else self._walk(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self._walk(v) for v in value]
        return value


@dataclass(frozen=True)
class LearnedDigests:
    """The account's identity as the walks read it off the pages (the profile link, the menu
    header, a pre-filled field), kept for the gate at `accept`/`update`/`publish` without keeping
    the words: each folded token as `salt:sha256(salt + token)`, a fresh salt per token (run.json's
    `learned`, never a committed file). Names are short and guessable, so this hides them from a
    reader of run.json, not from someone testing a list of candidates."""

    entries: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def of(cls, identity: Identity) -> LearnedDigests:
        return cls(frozenset(_salted(secrets.token_hex(8), t) for t in identity.tokens))

    def __bool__(self) -> bool:
        return bool(self.entries)

    def __contains__(self, folded: object) -> bool:
        """Whether a folded word is one of the learned tokens."""
        return isinstance(folded, str) and any(
            _salted(entry.split(":", 1)[0], folded) == entry for entry in self.entries
        )

    def __or__(self, other: LearnedDigests) -> LearnedDigests:
        return LearnedDigests(self.entries | other.entries)


def _salted(salt: str, token: str) -> str:
    return f"{salt}:{hashlib.sha256((salt + token).encode('utf-8')).hexdigest()}"


# Fields of the records (model.py) that hold the monitor's own names, never a page's text.
STRUCTURAL = frozenset(
    {"journey", "site", "locale", "viewport", "step", "action", "status", "reason", "images", "found_by"}
    | {"superseded_by", "matched", "role", "schema_version", "index", "tracked", "confirmations", "box"}
)


def words(text: str) -> list[str]:
    """The words of a text (user names with dots kept whole), for matching OCR output."""
    return _WORD.findall(text)
