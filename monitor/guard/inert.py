"""Scraped text made inert: whatever a page says becomes plain words in Markdown or HTML.

Text the monitor read from Meta's pages (labels, sentences, section names) ends up in Markdown
that GitHub renders. There it must stay words: no HTML, no links or images it did not come with,
no emphasis or headings, no @mentions, issue references or autolinks. Three ways out:

- `md_text(s)`: Markdown prose. Every ASCII character Markdown gives a meaning is backslash-escaped
  (CommonMark escapes render as the character itself), and the patterns GitHub turns into links
  *after* rendering (@mentions, #123, GH-123, commit hashes, bare URLs, www., e-mail addresses)
  are broken with an invisible U+2060 WORD JOINER, since a backslash does not stop those.
- `md_code(s)`: an inline code span, fenced with more backticks than the text holds.
- `html_text(s)`: HTML text (markupsafe).

All three first drop control and bidirectional-override characters and collapse whitespace to
single spaces, so scraped text can never start a new Markdown block.

`Md` marks a string that is already safe Markdown; the instruction templates accept nothing else
(see monitor/write/render.py), and `md_format` escapes every value that is not `Md`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import quote, urlsplit, urlunsplit

from markupsafe import escape

WORD_JOINER = "\u2060"

# C0/C1 controls, zero-width and bidirectional formatting characters, BOM, and the word joiner
# itself (so that the ones we insert are the only ones).
_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]")
_SPACE = re.compile(r"\s+")
# Every ASCII character CommonMark or GFM gives a meaning inline (and `$` for GitHub's math).
_SPECIAL = set("\\`*_{}[]<>()#+!|~$")
_ENTITY = re.compile(r"&(?=#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]{1,31};)")
_LEADING_MARKER = re.compile(r"^(\d{1,9})([.)])")
# Patterns GitHub links after rendering, or that its autolink extension finds in plain text.
_AFTER_AT = re.compile(r"@(?=[A-Za-z0-9_])")
_AFTER_HASH = re.compile(r"(?<=#)(?=[0-9A-Za-z])")
_GH_REF = re.compile(r"(?i)\b(gh)-(?=\d)")
_SCHEME = re.compile(r"(?i)\b(https?|ftp|sftp|mailto|xmpp|javascript|vbscript|data|file|tel|irc)(\\?:)")
_WWW = re.compile(r"(?i)\b(w)(ww\.)")
_HEX_RUN = re.compile(r"\b(?=[0-9a-fA-F]*[0-9])(?=[0-9a-fA-F]*[a-fA-F])[0-9a-fA-F]{7,}\b")


class Md(str):
    """A string that is safe Markdown: escaped scraped text, or text the project wrote itself."""

    __slots__ = ()

    @classmethod
    def trusted(cls, text: str) -> Md:
        """Markdown written by this project (phrase tables, templates): no scraped text inside."""
        return cls(text)

    def __add__(self, other: str) -> Md:
        return Md(str.__add__(self, other if isinstance(other, Md) else md_text(other)))


def clean(text: str | None) -> str:
    """No control or invisible formatting characters; whitespace collapsed to single spaces."""
    if not text:
        return ""
    text = _SPACE.sub(" ", text)
    text = _INVISIBLE.sub("", text)
    return _SPACE.sub(" ", text).strip()


def shorten(text: str, limit: int) -> str:
    if limit < 2 or len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip() + "…"


def md_text(text: str | None, limit: int | None = None) -> Md:
    """Scraped text as inert Markdown prose: it renders as exactly these words and nothing more."""
    s = clean(text)
    if limit is not None:
        s = shorten(s, limit)
    out = "".join("\\" + ch if ch in _SPECIAL else ch for ch in s)
    out = _ENTITY.sub(r"\\&", out)
    out = _LEADING_MARKER.sub(r"\1\\\2", out)
    if out[:1] in ("-", "=", ":"):
        out = "\\" + out
    out = _AFTER_AT.sub("@" + WORD_JOINER, out)
    out = _AFTER_HASH.sub(WORD_JOINER, out)
    out = _GH_REF.sub(r"\1" + WORD_JOINER + "-", out)
    out = _SCHEME.sub(r"\1\2" + WORD_JOINER, out)
    out = _WWW.sub(r"\1" + WORD_JOINER + r"\2", out)
    out = _HEX_RUN.sub(_break_hex, out)
    return Md(out)


def _break_hex(match: re.Match[str]) -> str:
    """A run GitHub could take for a commit hash, in pieces of at most 6 characters."""
    run = match.group(0)
    return WORD_JOINER.join(run[i : i + 6] for i in range(0, len(run), 6))


def md_code(text: str | None, in_table: bool = False) -> Md:
    """Scraped text as an inline code span (shown verbatim, never a link), whatever backticks it holds."""
    s = clean(text)
    longest = max((len(run) for run in re.findall(r"`+", s)), default=0)
    fence = "`" * (longest + 1)
    if not s or s.startswith("`") or s.endswith("`") or (s.startswith(" ") and s.endswith(" ")):
        s = f" {s} "
    if in_table:
        s = s.replace("|", "\\|")
    return Md(f"{fence}{s}{fence}")


_URL = re.compile(r"(?i)\b(?:https?|ftp)://[^\s<>\"'`|]+")


def md_text_with_urls(text: str | None, limit: int | None = None, in_table: bool = False) -> Md:
    """Scraped prose (an error message) whose URLs stay copyable: each URL becomes a code span (never a
    link, nothing invisible inside), the words around it go through md_text."""
    s = clean(text)
    if limit is not None:
        s = shorten(s, limit)
    parts: list[str] = []
    at = 0
    for m in _URL.finditer(s):
        url = m.group(0).rstrip(".,;:)")
        before = s[at : m.start()]
        if before:
            parts.append(
                (" " if before[:1].isspace() else "") + md_text(before) + (" " if before[-1:].isspace() else "")
            )
        parts.append(md_code(url, in_table=in_table))
        at = m.start() + len(url)
    rest = s[at:]
    if rest:
        parts.append((" " if rest[:1].isspace() else "") + md_text(rest))
    return Md("".join(parts))


def html_text(text: str | None) -> str:
    """Scraped text as HTML text content (also safe inside a quoted attribute)."""
    return str(escape(clean(text)))


def md_format(pattern: str, /, **values: str) -> Md:
    """A phrase of ours with values filled in; every value that is not already `Md` is escaped."""
    safe = {k: v if isinstance(v, Md) else md_text(v) for k, v in values.items()}
    return Md(pattern.format(**safe))


# --------------------------------------------------------------------------- link destinations

_SAFE_PATH = "/-._~!$&'*+,;=:@%"
_SAFE_QUERY = "/?-._~!$&'*+,;=:@%"
_RELATIVE = re.compile(r"^(\.\./|\./)*[A-Za-z0-9_][A-Za-z0-9_./-]*$")


def md_url(url: str | None, domains: Iterable[str]) -> Md | None:
    """An https URL on one of `domains` (or a subdomain), percent-encoded for a Markdown link; else None.

    Used for the addresses the monitor captured: a destination that is not plainly one of
    Meta's https pages is not turned into a link at all.
    """
    if not url:
        return None
    url = clean(url)
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    host = (parts.hostname or "").lower().rstrip(".")
    if parts.scheme.lower() != "https" or not host or parts.username or parts.password or port not in (None, 443):
        return None
    allowed = [d.lower().strip(".") for d in domains]
    if not any(host == d or host.endswith("." + d) for d in allowed if d):
        return None
    path = quote(parts.path or "/", safe=_SAFE_PATH)
    query = quote(parts.query, safe=_SAFE_QUERY)
    fragment = quote(parts.fragment, safe=_SAFE_QUERY)
    return Md(urlunsplit(("https", host, path, query, fragment)))


def md_relative(path: str) -> Md:
    """A relative link destination made by this project; refuses anything else."""
    if not _RELATIVE.match(path) or "//" in path:
        raise ValueError(f"not a plain relative path: {path!r}")
    return Md(path)
