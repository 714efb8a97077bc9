"""The gate: nothing holding the account's identity is written into snapshots/ or instructions/.

Redaction (redact.py) and painting (privacy.py) are meant to leave nothing; the gate checks that
they did, on the bytes about to be written, by means independent of them: every image is read back
with OCR (Tesseract, Debian's `tesseract-ocr`, through pytesseract) and every text file is read as
text, and both are searched for every identity token (folded: any case, no accents). A hit refuses
the whole write, naming the file and where in it (line and column, or the pixel box), never the
token. `accept`, `update` and `publish` call it; the CLI turns GateError into exit 3.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import shutil
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from monitor.guard.redact import EMAIL_RE, Identity, LearnedDigests, fold, words

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp", ".gif")
TEXT_SUFFIXES = (".json", ".md", ".html", ".txt", ".xml", ".atom", ".yaml", ".yml", ".csv", ".svg")
OCR_LANGUAGES = "eng"  # names are Latin letters; folding removes accents, so one model reads them all
FAINT = (200, 240)  # grey levels stretched to black..white before OCR
UPSCALE = 2  # pixels are read at this multiple of their size
CACHE_VERSION = 2  # bump when the reading changes: remembered clean images are read again
MAX_LISTED = 10


class GateError(Exception):
    """Identity found in what was about to be written: nothing was written."""


@dataclass(frozen=True)
class Hit:
    path: Path
    where: str  # "line 3, column 14" or "pixels x=120 y=40 (80×18)"
    kind: str  # "name", "user name", "e-mail address"

    def __str__(self) -> str:
        return f"{self.path}: {self.kind} at {self.where}"


@dataclass
class Scan:
    hits: list[Hit] = field(default_factory=list)
    images: int = 0
    texts: int = 0
    ocr_images: int = 0  # images actually read (the others were read clean before)
    ocr_seconds: float = 0.0


def ocr_available() -> str | None:
    """None when OCR works here; otherwise what to install."""
    if shutil.which("tesseract") is None:
        return "Tesseract is not installed: `apt-get install tesseract-ocr tesseract-ocr-eng` (or run `make setup`)"
    try:
        import pytesseract  # noqa: F401
    except ImportError:
        return "the pytesseract package is missing: `pip install pytesseract` (or run `make setup`)"
    return None


WORDS = re.compile(r"[^\W_]+(?:[._-][^\W_]+)*")  # as redact.words: user names with dots kept whole
DATA_URI = re.compile(r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=\s]+")


def scan_text(path: Path, text: str, identity: Identity, learned: LearnedDigests | None = None) -> list[Hit]:
    """Hits in a text; embedded base64 images (report.html) are blanked first, their letters are noise."""
    text = DATA_URI.sub(lambda m: " " * len(m.group()), text)
    hits = []
    starts = [0]
    for i, ch in enumerate(text):
        if ch == "\n":
            starts.append(i + 1)
    found = identity.find(text)
    if learned:  # each word (and e-mail address) of the text against the learned tokens' digests
        spans = [*WORDS.finditer(text), *EMAIL_RE.finditer(text)]
        found += [(m.start(), _kind(m.group())) for m in spans if fold(m.group()) in learned]
    for offset, kind in sorted(set(found)):
        line = next(n for n in range(len(starts) - 1, -1, -1) if starts[n] <= offset)
        hits.append(Hit(path, f"line {line + 1}, column {offset - starts[line] + 1}", kind))
    return hits


def prepare(data: bytes) -> Any:
    """The image as Tesseract reads it best here: grey, with faint text (a dimmed page behind a
    dialog, placeholder text) stretched to full contrast; dark text stays black."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as img:
        grey = img.convert("L")
    # Tesseract reads letters best at about 30 px; a 12-14 px name at 1x is often missed (docs/accuracy.md)
    grey = grey.resize((grey.width * UPSCALE, grey.height * UPSCALE), Image.Resampling.LANCZOS)
    lo, hi = FAINT
    return grey.point(lambda v: 0 if v < lo else 255 if v > hi else (v - lo) * 255 // (hi - lo))


def scan_image(path: Path, data: bytes, identity: Identity, learned: LearnedDigests | None = None) -> list[Hit]:
    """OCR the image and look for the tokens word by word."""
    import pytesseract
    from PIL import UnidentifiedImageError

    try:
        picture = prepare(data)
    except (UnidentifiedImageError, OSError):
        return []  # not an image any viewer could show: nothing in it can be read
    d = pytesseract.image_to_data(picture, lang=OCR_LANGUAGES, output_type=pytesseract.Output.DICT)
    tokens = identity.tokens
    hits: list[Hit] = []
    for i, raw in enumerate(d["text"]):
        if not raw.strip():
            continue
        found = _token_kind(raw, tokens, identity, learned)
        if found is not None:
            x, y, w, h = (int(d[k][i]) // UPSCALE for k in ("left", "top", "width", "height"))
            hits.append(Hit(path, f"pixels x={x} y={y} ({w}×{h})", found))
    return hits


def _token_kind(raw: str, tokens: list[str], identity: Identity, learned: LearnedDigests | None = None) -> str | None:
    folded = fold(raw)
    pieces = {fold(w) for w in words(raw)} | {folded.strip(".,;:!?()[]\"'«»“”„")}
    for token in tokens:
        if token in pieces or ("@" in token and token in folded):
            return _kind(token)
    if learned:
        return next((_kind(p) for p in sorted(pieces) if p in learned), None)
    return None


def _kind(token: str) -> str:
    return "e-mail address" if "@" in token else "user name" if "." in token or "_" in token else "name"


def scan(files: Iterable[tuple[Path, bytes]], identity: Identity, learned: LearnedDigests | None = None) -> Scan:
    """Every (name, bytes): images by OCR (in parallel), text files as text; other files are skipped.

    A target crop (`<step>.target.png`) is cut from its page image: when that page is in the same
    batch, reading the page reads the crop. Images already read clean for the same tokens are
    remembered (by their bytes' hash) in the cache folder.
    """
    result = Scan()
    if not identity and not learned:
        return result
    batch = list(files)
    names = {p.name for p, _ in batch}
    images: list[tuple[Path, bytes]] = []
    for path, data in batch:
        suffix = path.suffix.lower()
        if suffix in IMAGE_SUFFIXES:
            if path.name.endswith(".target.png") and path.name.replace(".target.png", ".page.png") in names:
                continue
            images.append((path, data))
        elif suffix in TEXT_SUFFIXES:
            result.hits += scan_text(path, data.decode("utf-8", errors="replace"), identity, learned)
            result.texts += 1
    # one Tesseract thread per image: the images themselves are read in parallel, one per core
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    known = [*identity.tokens, *sorted(learned.entries if learned else ())]
    salt = hashlib.sha256(("\n".join(known) + f"\n{CACHE_VERSION}").encode()).hexdigest()
    cache = cache_dir()
    todo = [(p, d) for p, d in images if not (cache / _key(salt, d)).exists()]
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=max(1, min(len(todo), os.cpu_count() or 1))) as pool:
        for (_path, data), hits in zip(
            todo, pool.map(lambda pd: scan_image(pd[0], pd[1], identity, learned), todo), strict=True
        ):
            result.hits += hits
            if not hits:
                with contextlib.suppress(OSError):
                    cache.mkdir(parents=True, exist_ok=True)
                    (cache / _key(salt, data)).touch()
    result.ocr_seconds = time.perf_counter() - started
    result.images = len(images)
    result.ocr_images = len(todo)
    return result


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "optout-monitor" / "gate-clean"


def _key(salt: str, data: bytes) -> str:
    return hashlib.sha256(salt.encode() + data).hexdigest()


def check(
    files: Iterable[tuple[Path, bytes]],
    identity: Identity | None = None,
    what: str = "the write",
    learned: LearnedDigests | None = None,
) -> Scan:
    """Scan, and raise GateError on any hit (or when OCR cannot run while an identity is set).
    `learned`: what the walks read of the account off the pages (run.json), besides `identity`."""
    who = identity if identity is not None else Identity.from_env()
    if not who and not learned:
        return Scan()
    missing = ocr_available()
    if missing is not None:
        raise GateError(f"the personal-data gate cannot read images, so {what} was refused: {missing}")
    result = scan(files, who, learned)
    if result.hits:
        listed = "\n".join(f"  {h}" for h in result.hits[:MAX_LISTED])
        more = f"\n  … and {len(result.hits) - MAX_LISTED} more" if len(result.hits) > MAX_LISTED else ""
        raise GateError(
            f"refused {what}: {len(result.hits)} place(s) show the account's identity "
            f"($OPTOUT_MASK_TEXT, or read off the pages by the walks) in files about to be written; nothing was"
            f" written:\n{listed}{more}\n"
            "Paint the region over (privacy: hide in the journey file) or fix the redaction, then run again."
        )
    return result


def read_files(paths: Iterable[Path]) -> list[tuple[Path, bytes]]:
    return [(p, p.read_bytes()) for p in paths if p.is_file()]


def check_tree(folders: Iterable[Path], identity: Identity | None = None, what: str = "the write") -> Scan:
    """check() over every file under folders."""
    files = [p for f in folders if f.is_dir() for p in sorted(f.rglob("*")) if p.is_file()]
    return check(read_files(files), identity, what)
