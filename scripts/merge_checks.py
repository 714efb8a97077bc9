"""The editor's checklist of scripts/merge_ready.py: small pure functions, one per thing a maintainer fixes by hand.

Each takes text (or numbers) and returns the defects it finds as `Defect`s; nothing here reads a
file, walks a page or runs a program, so tests/test_merge_ready.py pins each on a hand-made good
and bad example. What counts, and why, is in docs/decisions/0021-merge-without-editing.md.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# The kinds of defect, in the order docs/merge-ready.md lists them.
STALE = "stale-label"
OLD_AND_NEW = "old-and-new-word"
INVISIBLE = "invisible-label"
MACHINE = "machine-words"
LANGUAGE = "wrong-language"
FRAME = "picture-frame"
CUT = "picture-cuts-word"
REPEATED = "pr-repeated-sentence"
ENGLISH_FIRST = "pr-english-not-first"
REAL_CLAIM = "pr-claims-real-page"
LONG_DIFF = "pr-long-unmarked-diff-line"
LABEL_CUT = "label-cut"
STEP_KEY = "step-key-as-label"
KINDS = (
    STALE,
    OLD_AND_NEW,
    INVISIBLE,
    MACHINE,
    LANGUAGE,
    FRAME,
    CUT,
    REPEATED,
    ENGLISH_FIRST,
    REAL_CLAIM,
    LONG_DIFF,
    LABEL_CUT,
    STEP_KEY,
)


@dataclass(frozen=True)
class Defect:
    """One thing a maintainer would fix before merging: its kind and the offending text."""

    kind: str
    text: str
    detail: str = ""


# --------------------------------------------------------------------------- quotes and labels

# “…” (en), „…“ / „…” (de, ro…), « … » (fr, it, es), ‘…’ (nl), "…" (plain).
_QUOTE = re.compile(r"“([^“”\n]+)”|„([^„“”\n]+)[“”]|«\s*([^«»\n]+?)\s*»|‘([^‘’\n]+)’|\"([^\"\n]+)\"")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>'\"|~])")


def quotes(text: str) -> list[str]:
    """Every quoted string of a line, in the quotation marks of any shipped language."""
    return [next(g for g in m.groups() if g is not None) for m in _QUOTE.finditer(text)]


def cut_labels(text: str) -> list[Defect]:
    """Quoted labels cut mid-word ("„KI bei Meta Wie wir … M…“"): a label a reader cannot match with
    what the screen shows, which a maintainer would shorten to the link's own words."""
    return [Defect(LABEL_CUT, q) for q in quotes(text) if re.search(r"\w…$", q.strip())]


def step_keys(text: str, ids: Iterable[str]) -> list[Defect]:
    """A step's key written as words and quoted as if it were the link's words: "the “ai at meta”
    step", where the page says “AI at Meta”. A maintainer would put the link's own words there."""
    keyed = {re.sub(r"[-_]+", " ", i).strip(): i for i in ids if re.search(r"[-_]", i)}
    return [Defect(STEP_KEY, q, f"the key {keyed[q.strip()]!r}") for q in quotes(text) if q.strip() in keyed]


def norm(text: str) -> str:
    """A label as compared: Markdown emphasis and escapes dropped, spaces collapsed, case folded."""
    text = _MD_ESCAPE.sub(r"\1", text).replace("**", "").replace("\u00a0", " ").replace("\u202f", " ")
    text = unicodedata.normalize("NFC", text).replace("’", "'")
    return " ".join(text.split()).strip(" .,:;").casefold()


@dataclass(frozen=True)
class Section:
    """A `## ` section of an instructions page: its heading, kind and numbered step lines."""

    heading: str
    kind: str  # "app" (numbered, no screenshots), "desktop" / "mobile" (screenshots of that viewport), "other"
    steps: tuple[str, ...]
    notes: tuple[str, ...]  # the other lines (notices, paragraphs), image lines left out


_STEP = re.compile(r"^\s*\d+\.\s+(.*)$")
_IMAGE = re.compile(r"!\[[^\]]*\]\(([^)]*)\)")


def sections(page: str) -> list[Section]:
    """Split an instructions page into its sections and tell the app's steps from each viewport's."""
    found: list[Section] = []
    chunks = re.split(r"(?m)^## ", page)
    for chunk in chunks[1:]:
        heading, _, body = chunk.partition("\n")
        lines = body.splitlines()
        steps = tuple(m.group(1) for line in lines if (m := _STEP.match(line)))
        notes = tuple(line for line in lines if line.strip() and not _STEP.match(line) and not _IMAGE.search(line))
        images = " ".join(m.group(1) for line in lines for m in _IMAGE.finditer(line))
        kind = "other"
        if steps:
            if "/mobile/" in images:
                kind = "mobile"
            elif "/desktop/" in images:
                kind = "desktop"
            else:
                kind = "app"
        found.append(Section(heading.strip(), kind, steps, notes))
    return found


def site_page(html: str) -> str:
    """A site page's instructions as the Markdown `sections` reads: headings, numbered steps, pictures."""
    import html as html_mod

    text = re.sub(r"(?s)<head>.*?</head>|<script.*?</script>|<style.*?</style>", " ", html)
    text = re.sub(r"<img\b[^>]*\bsrc=\"([^\"]*)\"[^>]*>", r"\n![](\1)\n", text)
    text = re.sub(r"(?s)<h2\b[^>]*>(.*?)</h2>", lambda m: "\n## " + re.sub(r"<[^>]+>", "", m.group(1)) + "\n", text)
    text = re.sub(r"(?s)<ul\b.*?</ul>", lambda m: re.sub(r"<li\b[^>]*>\s*(?:<p>)?", "\n- ", m.group(0)), text)
    text = re.sub(r"<li\b[^>]*>\s*(?:<p>)?", "\n1. ", text)
    text = re.sub(
        r"</?(?:p|blockquote|ol|ul|li|div|section|main|nav|header|footer|details|summary)\b[^>]*>", "\n", text
    )
    text = html_mod.unescape(re.sub(r"<[^>]+>", "", text))
    return re.sub(r"\n\s*\n+", "\n", text)


@functools.cache
def changed_marks() -> tuple[str, ...]:
    """The bold head of the notice an app step carries when its web step was removed or moved (every
    language's): such a step tells the reader the website changed there."""
    from monitor.write import appfollow, catalogs

    return tuple({appfollow.changed_notice(loc).split("**")[1] for loc in ["en", *catalogs.catalog_locales()]})


def stale_labels(page: str, old: Iterable[str], new: Iterable[str]) -> list[Defect]:
    """Labels the page still quotes that the walked page no longer shows, app steps included.

    `old` is every label and heading the baseline walk saw for this page's platform and locale, `new`
    what the changed walk saw. A quoted `old` label missing from `new` is stale, unless the section
    is the app's and one of its notices (a line that is not a step) quotes a label the walk shows
    now and did not before: the page then says the website changed and the app was not checked.
    A page whose steps quote a stale label and also its replacement tells people to tap both words.
    """
    old_n = {norm(x) for x in old if norm(x)}
    new_n = {norm(x) for x in new if norm(x)}
    gone, added = old_n - new_n, new_n - old_n
    defects: list[Defect] = []
    stale_seen: list[str] = []
    added_seen = False
    for sec in sections(page):
        if sec.kind == "other":
            continue
        excused = sec.kind == "app" and any(norm(q) in added for line in sec.notes for q in quotes(line))
        for line in sec.steps:
            if sec.kind == "app" and any(mark in line for mark in changed_marks()):
                continue  # the step says the website changed there and the app was not checked
            for q in quotes(_IMAGE.sub("", line)):
                label = norm(q)
                if label in added:
                    added_seen = True
                if label in gone and not excused:
                    defects.append(Defect(STALE, q, f"{sec.heading}: {line}"))
                    stale_seen.append(q)
    if stale_seen and added_seen:
        defects.append(Defect(OLD_AND_NEW, " / ".join(dict.fromkeys(stale_seen)), "old and new word both in the steps"))
    return defects


def invisible_labels(page: str, visible: Mapping[str, str]) -> list[Defect]:
    """Quoted words of the web steps that are not visible text on the walked page of that viewport.

    `visible` maps "desktop" / "mobile" to the text the walk recorded as shown (target texts,
    sentences, headings, the paragraphs and text of the target's region), never an accessible name
    alone: the name of an icon is not a word a person sees.
    """
    defects: list[Defect] = []
    for sec in sections(page):
        corpus = visible.get(sec.kind)
        if corpus is None:
            continue
        seen = norm(corpus)
        for line in sec.steps:
            for q in quotes(_IMAGE.sub("", line)):
                if norm(q) and norm(q) not in seen:
                    defects.append(Defect(INVISIBLE, q, f"{sec.heading}: {line}"))
    return defects


# --------------------------------------------------------------------------- machine words

_PATH = re.compile(r"^(?:\.\./|\./)*[\w.-]+(?:/[\w.-]+)+/?$|^[\w.-]+\.(?:md|png|json|ya?ml|html|atom)$")
_MD_LINK = re.compile(r"(?<!!)\[([^\]]+)\]\(")
_HTML_LINK = re.compile(r"<a\b[^>]*>(.*?)</a>", re.S)


def machine_words(
    text: str,
    *,
    lang: str,
    ids: Iterable[str],
    verdicts: Iterable[str],
    viewports: Iterable[str] = ("desktop", "mobile"),
) -> list[Defect]:
    """Words of the machine in text for followers: step and journey ids, verdict names, viewport words,
    repository paths as link labels.

    Ids with a hyphen and hyphenated verdicts are flagged anywhere; a one-word id or verdict (that is
    also an ordinary word: "send", "moved") only in a machine form: `a / b`, `(moved)`, backticks.
    Viewport words are flagged as bare words in English; in other languages (where "mobile" or
    "Desktop" are words) only in a list such as "en, desktop, mobile".
    """
    defects: list[Defect] = []
    plain = re.sub(r"https?://\S+", " ", _MD_ESCAPE.sub(r"\1", text))
    ids = set(ids)
    verdicts = set(verdicts)
    viewports = tuple(viewports)
    for word in sorted(ids | {v for v in verdicts if "-" in v}):
        if "-" in word and re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", plain):
            defects.append(Defect(MACHINE, word, "an id or verdict name"))
    for m in re.finditer(r"(?<![\w/])([\w-]+) ?/ ?([\w-]+)(?: ?/ ?[\w-]+)*", plain):
        parts = re.split(r" ?/ ?", m.group(0))
        if len(parts) >= 2 and (any(p in ids for p in parts) or all(p in viewports for p in parts)):
            defects.append(Defect(MACHINE, m.group(0), "a path of ids"))
    for m in re.finditer(r"[(`]([\w-]+)[)`]", plain):
        if m.group(1) in verdicts or m.group(1) in ids:
            defects.append(Defect(MACHINE, m.group(0), "a verdict or id as a tag"))
    if "retargeted" in verdicts and re.search(r"\bretargeted\b", plain, re.I):
        defects.append(Defect(MACHINE, "retargeted", "a verdict name"))
    vp = "|".join(re.escape(v) for v in viewports)
    if lang == "en":
        for m in re.finditer(rf"\b({vp})\b", plain):
            defects.append(Defect(MACHINE, m.group(0), "a viewport word"))
    else:
        for m in re.finditer(rf"\b(?:[a-z]{{2}}|{vp}), ({vp})\b|\b({vp}) ?[×x/] ?({vp})\b", plain):
            defects.append(Defect(MACHINE, m.group(0), "a viewport word"))
    for label in [*_MD_LINK.findall(text), *(re.sub(r"<[^>]+>", "", x) for x in _HTML_LINK.findall(text))]:
        label = label.strip().strip("`")
        if _PATH.match(label):
            defects.append(Defect(MACHINE, label, "a repository path as a link label"))
    return defects


# --------------------------------------------------------------------------- language


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Short, frequent words that tell the six shipped languages apart (articles, prepositions, pronouns,
#: auxiliaries; none shared by two lists). A stopword ratio needs no model and no new dependency.
STOPWORDS: dict[str, frozenset[str]] = {
    "en": _words(
        "the and of to in is it that this with for on are now was be by you your from at as not has have "
        "an or link reads page step will can which"
    ),
    "fr": _words(
        "le la les des du de et est un une dans pour sur pas que qui vous votre ce cette avec au aux "
        "maintenant lien page étape ne plus sont été"
    ),
    "de": _words(
        "der die das und ist nicht ein eine einen dem den des mit auf für zu im auch sich jetzt dein deine "
        "du wird wurde von bei nach seite schritt"
    ),
    "it": _words(
        "il lo gli della delle del di che è non per una sono con nel nella alla ora tuo tua pagina passo "
        "collegamento ha anche"
    ),
    "es": _words("el los las del de que es en por una con para su tu ahora enlace página paso está ya también se al y"),
    "nl": _words(
        "de het een en van is niet op te met voor dat die je jouw nu nog ook wordt werd bij naar pagina stap zijn"
    ),
}
# "de" is a word of fr, es and nl too, "die" of en; each list keeps only its own words.
_SHARED = {w for a in STOPWORDS for b in STOPWORDS if a < b for w in STOPWORDS[a] & STOPWORDS[b]}
STOPWORDS = {lang: frozenset(words - _SHARED) for lang, words in STOPWORDS.items()}


def language_scores(text: str) -> dict[str, float]:
    """The share of each shipped language's stopwords among the words of text (quoted labels left out)."""
    body = _QUOTE.sub(" ", re.sub(r"https?://\S+|<[^>]+>", " ", text))
    words = re.findall(r"[^\W\d_]+", body.casefold())
    if not words:
        return dict.fromkeys(STOPWORDS, 0.0)
    return {lang: sum(w in stop for w in words) / len(words) for lang, stop in STOPWORDS.items()}


def wrong_language(text: str, lang: str, *, min_words: int = 5) -> list[Defect]:
    """A text for readers of `lang` that reads as another language (by stopword ratio).

    For a language without a stopword list, only English is caught (the usual fallback)."""
    body = _QUOTE.sub(" ", re.sub(r"https?://\S+|<[^>]+>", " ", text))
    if len(re.findall(r"[^\W\d_]+", body)) < min_words:
        return []
    scores = language_scores(text)
    best = max(scores, key=lambda k: scores[k])
    if lang in STOPWORDS:
        if best != lang and scores[best] > scores[lang]:
            return [Defect(LANGUAGE, text[:160], f"reads as {best}, not {lang}")]
    elif best == "en" and scores["en"] >= 0.12:
        return [Defect(LANGUAGE, text[:160], f"reads as en, not {lang}")]
    return []


# --------------------------------------------------------------------------- pictures


@dataclass(frozen=True)
class Word:
    """One OCR'd word with its box, in image pixels."""

    text: str
    left: int
    top: int
    width: int
    height: int


def frame_differs(
    before_size: tuple[int, int], after_size: tuple[int, int], before: list[Word], after: list[Word]
) -> list[Defect]:
    """Before and after pictures of a step frame different parts of the page.

    Differently sized pictures never share a frame; of equal size, the frame moved when both the
    first and the last word read differ (one of them may be the word that changed)."""
    if before_size != after_size:
        return [Defect(FRAME, f"{before_size[0]}×{before_size[1]} → {after_size[0]}×{after_size[1]}", "sizes differ")]
    if not before or not after:
        return []

    def ends(words: list[Word]) -> tuple[str, str]:
        # words, not an icon read as "+" or "ft"
        order = sorted(
            (w for w in words if len(re.sub(r"[\W\d_]", "", w.text)) >= 3), key=lambda w: (w.top // 10, w.left)
        )
        if not order:
            return "", ""
        return norm(order[0].text), norm(order[-1].text)

    (b0, b1), (a0, a1) = ends(before), ends(after)
    if b0 != a0 and b1 != a1:
        return [Defect(FRAME, f"“{b0} … {b1}” → “{a0} … {a1}”", "first and last words differ")]
    return []


def cut_words(words: list[Word], width: int, known: Iterable[str], *, margin: int = 4) -> list[Defect]:
    """Words the picture's left or right edge cuts.

    A word whose box touches the left (right) edge is cut unless the letters touching the edge, its
    first (last) run of letters, are a whole word known from the page: its recorded text, or a word
    read elsewhere in the same picture. OCR reads "acebook" for a cut "Facebook"; two letters or fewer
    are not judged (an icon read as letters)."""
    vocab = {w.casefold() for text in known for w in re.findall(r"[^\W\d_]+", text)}
    defects: list[Defect] = []
    for w in words:
        runs = re.findall(r"[^\W\d_]+", w.text)
        if not runs:
            continue
        if w.left <= margin:
            token, side = runs[0], "left"
        elif w.left + w.width >= width - margin:
            token, side = runs[-1], "right"
        else:
            continue
        if len(token) < 3 or token.casefold() in vocab:
            continue
        defects.append(Defect(CUT, w.text, f"cut at the {side} edge"))
    return defects


# --------------------------------------------------------------------------- pull request bodies


def _prose(body: str) -> str:
    """The body a reviewer reads at once: code fences and folded <details> left out."""
    body = re.sub(r"(?s)```.*?```", " ", body)
    return re.sub(r"(?s)<details>.*?</details>", " ", body)


def repeated_sentences(body: str, *, min_words: int = 5) -> list[Defect]:
    """Sentences said twice in a pull request body (outside code and folded details)."""
    text = re.sub(r"[*_>#|`]|^\s*[-+]\s", " ", _prose(body), flags=re.M)
    found = Counter()
    for sentence in re.split(r"(?<=[.!?:])\s+|\n+", text):
        key = norm(sentence)
        if len(key.split()) >= min_words:
            found[key] += 1
    return [Defect(REPEATED, s, f"{n} times") for s, n in found.items() if n > 1]


def english_first(body: str) -> list[Defect]:
    """English listed after another language in any section of a body (instruction files, picture rows)."""
    defects = []
    for part in re.split(r"(?m)^#{2,3} ", body):
        order: list[str] = []
        for m in re.finditer(r"instructions/([a-z]{2})/|\(([a-z]{2}), (?:desktop|mobile)\)", part):
            code = m.group(1) or m.group(2)
            if code not in order:
                order.append(code)
        if "en" in order and order[0] != "en":
            heading = part.partition("\n")[0].strip()
            defects.append(Defect(ENGLISH_FIRST, ", ".join(order[: order.index("en") + 1]), f"in “{heading}”"))
    return defects


# "not the real page", "never on the real site", or a sentence about the stand-in itself.
_NEGATION = re.compile(
    r"\b(?:not|never|nobody|no one|n't)\b(?:\W+\w+){0,6}?\W+real\b|stand-in|replica|copy|rehearsal", re.I
)


def claims_real_page(body: str, *, stand_in: bool) -> list[Defect]:
    """On a run against a stand-in, any sentence that says the pictures or steps show the real page."""
    if not stand_in:
        return []
    defects = []
    for sentence in re.split(r"(?<=[.!?])\s+|\n+", body):
        real = re.search(r"\breal\b", sentence, re.I) and re.search(r"\b(page|site|pages)\b", sentence, re.I)
        if real and not _NEGATION.search(sentence):
            defects.append(Defect(REAL_CLAIM, sentence.strip()[:200]))
    return defects


_MARKS = re.compile(r"~~|\{\+|\+\}|\[-|-\]|<ins>|<del>|<mark>|⟦|⟧")


def long_diff_lines(body: str, *, limit: int = 200) -> list[Defect]:
    """Added or removed lines of the body's diffs longer than `limit` with no mark on the words that changed.

    A mark is a diff mark (~~…~~, {+…+}, [-…-], <ins>, <del>, <mark>, ⟦…⟧) or a second bold pair: a
    step line may carry one bold word of its own (the target in its quoted sentence)."""
    defects = []
    for fence in re.findall(r"(?s)```[^\n]*\n(.*?)```", body):
        for line in fence.splitlines():
            changed = line[:1] in "+-" and not line.startswith(("+++", "---"))
            if changed and len(line) > limit and not _MARKS.search(line) and line.count("**") < 4:
                defects.append(Defect(LONG_DIFF, line[:120] + "…", f"{len(line)} characters"))
    return defects


def section(body: str, heading: str) -> str:
    """The text of a `##`/`###` section of a Markdown body, up to the next heading or folded <details>."""
    m = re.search(rf"(?m)^#{{2,3}} {re.escape(heading)}\s*$", body)
    if not m:
        return ""
    rest = body[m.end() :]
    end = re.search(r"(?m)^#{1,3} |^<details>", rest)
    return rest[: end.start()] if end else rest
