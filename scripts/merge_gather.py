"""What scripts/merge_ready.py checks, gathered from one variant's workspace, and the Markdown it writes.

Reads the walked runs (what each step showed), the workspace after `update` (the pages and pictures
git sees changed), publish-preview/ (the pull request bodies), and the feeds and CHANGELOG.md that
`feed` wrote; hands the text to the pure checks of scripts/merge_checks.py.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import subprocess
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import merge_checks as mc

ROOT = Path(__file__).resolve().parent.parent
OCR_CACHE = ROOT / "build" / "merge-ready" / "ocr-cache.json"
VIEWPORTS = ("desktop", "mobile")
_ARIA_TEXT = re.compile(
    r"^\s*- (?:text|paragraph|listitem|cell|strong|emphasis|term|definition|caption|blockquote|generic): (.+)$"
)
_ARIA_HEADING = re.compile(r'^\s*- heading "(.+?)"')


# --------------------------------------------------------------------------- what the walk saw


@dataclass
class Seen:
    """Per (platform, locale, viewport): the labels shown (target texts, headings) and all visible text."""

    labels: set[str] = field(default_factory=set)
    text: list[str] = field(default_factory=list)


def observations(run: Path) -> list[dict[str, Any]]:
    """Every step observation a run folder holds (its <journey>/<locale>/<viewport>/<step>.json)."""
    found = []
    for path in sorted((run / "observations").glob("*/*/*/*.json")):
        data = json.loads(path.read_text())
        data["_path"] = str(path)
        found.append(data)
    return found


def seen(obs: list[dict[str, Any]]) -> dict[tuple[str, str, str], Seen]:
    """What each platform × locale × viewport showed, as text a person sees (never an accessible name alone)."""
    out: dict[tuple[str, str, str], Seen] = defaultdict(Seen)
    for o in obs:
        s = out[(o["site"], o["locale"], o["viewport"])]
        target = o.get("target") or {}
        if target.get("text"):
            s.labels.add(target["text"])
            s.text.append(target["text"])
        if target.get("sentence"):
            s.text.append(target["sentence"])
        for h in o.get("headings") or []:
            name = re.sub(r"^h\d ", "", h)
            s.labels.add(name)
            s.text.append(name)
        for c in target.get("context") or []:
            if m := re.match(r'^h\d "(.*)"$', c):
                s.labels.add(m.group(1))
                s.text.append(m.group(1))
        for line in (target.get("aria") or "").splitlines():
            if m := _ARIA_TEXT.match(line):
                s.text.append(m.group(1).strip().strip('"'))
            elif m := _ARIA_HEADING.match(line):
                s.text.append(m.group(1))
    return out


# --------------------------------------------------------------------------- OCR, remembered by image hash


class Ocr:
    """Tesseract's words of an image (pytesseract, as the personal-data gate reads), cached by hash."""

    def __init__(self) -> None:
        self.cache: dict[str, list[list[Any]]] = json.loads(OCR_CACHE.read_text()) if OCR_CACHE.exists() else {}
        self.dirty = False

    def words(self, data: bytes) -> list[mc.Word]:
        key = hashlib.sha256(data).hexdigest()
        if key not in self.cache:
            import pytesseract

            from monitor.guard.gate import UPSCALE, prepare

            d = pytesseract.image_to_data(prepare(data), lang="eng", output_type=pytesseract.Output.DICT)
            rows = []
            for i, text in enumerate(d["text"]):
                if text.strip() and float(d["conf"][i]) >= 60:
                    rows.append([text, *(int(d[k][i]) // UPSCALE for k in ("left", "top", "width", "height"))])
            self.cache[key] = rows
            self.dirty = True
        return [mc.Word(r[0], r[1], r[2], r[3], r[4]) for r in self.cache[key]]

    def save(self) -> None:
        if self.dirty:
            OCR_CACHE.parent.mkdir(parents=True, exist_ok=True)
            OCR_CACHE.write_text(json.dumps(self.cache))


def size(data: bytes) -> tuple[int, int]:
    from PIL import Image

    with Image.open(io.BytesIO(data)) as img:
        return img.size


# --------------------------------------------------------------------------- one variant


@dataclass
class Found:
    """One checked thing (a page, a PR body, a feed entry, a changelog) and its defects.

    The same wrong (kind and text) said several times in one thing counts once: a maintainer fixes the
    sentence that writes it, not each place it shows."""

    what: str  # "page", "pr", "feed", "changelog"
    path: str
    locale: str
    defects: list[mc.Defect]

    def __post_init__(self) -> None:
        unique: dict[tuple[str, str], mc.Defect] = {}
        for d in self.defects:
            unique.setdefault((d.kind, d.text), d)
        self.defects = list(unique.values())


@dataclass
class VariantResult:
    variant: str
    items: list[Found]
    outcome: str


def _git(ws: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(ws), *args], capture_output=True, check=True, timeout=120).stdout.decode()


def changed_files(ws: Path) -> list[str]:
    """Files `update` changed or added in the workspace (its git status); a deleted one has nothing to check."""
    out = _git(ws, "status", "--porcelain", "-uall", "--", "instructions", "CHANGELOG.md")
    return [line[3:] for line in out.splitlines() if line[3:] and "D" not in line[:2]]


def feed_entry_ids(folder: Path) -> set[str]:
    import feedparser

    ids: set[str] = set()
    for path in folder.glob("*.atom"):
        ids |= {e.get("id", "") for e in feedparser.parse(path.read_bytes()).entries}
    return ids


def _vocabulary() -> tuple[set[str], set[str]]:
    from monitor import config
    from monitor.model import Category, Verdict

    cfg = config.load(ROOT / "monitor.yaml")
    ids = {j.id for j in cfg.journeys} | {s.id for j in cfg.journeys for s in j.steps}
    return ids, {v.value for v in Verdict} | {c.value for c in Category}


def check_variant(variant: str, ws: Path, base_run: Path, run: Path, base_feed: set[str]) -> VariantResult:
    """Apply the checklist to every changed page, PR body and new feed entry of one variant's workspace."""
    ids, verdicts = _vocabulary()
    base_obs, new_obs = observations(base_run), observations(run)
    walked = {o["journey"] for o in new_obs}
    old = seen([o for o in base_obs if o["journey"] in walked])
    new = seen(new_obs)
    now = seen([o for o in base_obs if o["journey"] not in walked] + new_obs)
    stand_in = bool(json.loads((run / "run.json").read_text())["run"].get("sites"))
    ocr = Ocr()
    items: list[Found] = []
    files = changed_files(ws)
    page_defects: dict[str, list[mc.Defect]] = defaultdict(list)
    for rel in files:
        if m := re.fullmatch(r"instructions/([a-z]{2})/(facebook|instagram)\.md", rel):
            ll, platform = m.groups()
            page = (ws / rel).read_text()
            if (platform, ll, "desktop") in new or (platform, ll, "mobile") in new:
                before = set().union(*(old[(platform, ll, vp)].labels for vp in VIEWPORTS if (platform, ll, vp) in old))
                after = set().union(*(new[(platform, ll, vp)].labels for vp in VIEWPORTS if (platform, ll, vp) in new))
                page_defects[rel] += mc.stale_labels(page, before, after)
            visible = {vp: "\n".join(now[(platform, ll, vp)].text) for vp in VIEWPORTS if (platform, ll, vp) in now}
            page_defects[rel] += mc.invisible_labels(page, visible)
            # the site's page of the same guide: the same checks; a wrong both say counts once
            site = ws / "_site" / ll / f"{platform}.html"
            if site.is_file() and ((platform, ll, "desktop") in new or (platform, ll, "mobile") in new):
                html_page = mc.site_page(site.read_text())
                for d in [*mc.stale_labels(html_page, before, after), *mc.invisible_labels(html_page, visible)]:
                    page_defects[rel].append(mc.Defect(d.kind, d.text, f"site {ll}/{platform}.html: {d.detail}"))
    for rel in files:
        if m := re.fullmatch(r"instructions/images/(facebook|instagram)/([a-z]{2})/(desktop|mobile)/(.+)\.png", rel):
            platform, ll, vp, _step = m.groups()
            page_rel = f"instructions/{ll}/{platform}.md"
            page_defects[page_rel] += picture_defects(ws, rel, ocr, now.get((platform, ll, vp)))
    for rel, defects in sorted(page_defects.items()):
        items.append(Found("page", rel, rel.split("/")[1], defects))
    ocr.save()
    for body_path in sorted((ws / "publish-preview").glob("pr-*.md")):
        body = body_path.read_text()
        defects = [
            *mc.repeated_sentences(body),
            *mc.english_first(body),
            *mc.claims_real_page(body, stand_in=stand_in),
            *mc.long_diff_lines(body),
            *mc.machine_words(mc.section(body, "What followers will read"), lang="en", ids=ids, verdicts=verdicts),
            *mc.step_keys(body, ids),
        ]
        items.append(Found("pr", f"publish-preview/{body_path.name}", "—", defects))
    items += feed_items(ws / "_feeds", base_feed, ids, verdicts)
    items += changelog_items(ws, ids, verdicts)
    outcome = json.loads((run / "report.json").read_text()).get("outcome", "?")
    return VariantResult(variant, items, outcome)


def picture_defects(ws: Path, rel: str, ocr: Ocr, shown: Seen | None) -> list[mc.Defect]:
    """A changed picture: before (the baseline's commit) and after share a frame, and the after cuts no word."""
    after = (ws / rel).read_bytes()
    after_words = ocr.words(after)
    width = size(after)[0]
    inner = (w.text for w in after_words if w.left > 4 and w.left + w.width < width - 4)
    known = [*(shown.text if shown else []), *inner]
    defects = [mc.Defect(d.kind, d.text, f"{rel}: {d.detail}") for d in mc.cut_words(after_words, width, known)]
    try:
        before = subprocess.run(
            ["git", "-C", str(ws), "show", f"HEAD:{rel}"], capture_output=True, check=True, timeout=60
        ).stdout
    except subprocess.CalledProcessError:
        return defects  # a new picture: nothing to share a frame with
    if not same_place(ws, rel):
        return defects  # the target moved, or its page is another: each picture frames where it is
    for d in mc.frame_differs(size(before), size(after), ocr.words(before), after_words):
        defects.append(mc.Defect(d.kind, d.text, f"{rel}: {d.detail}"))
    return defects


def same_place(ws: Path, rel: str) -> bool:
    """The picture's step is at the same place of the same page before and after (its snapshot's
    address and the headings and landmarks above its target): only then can before and after share
    a frame. A picture follows its target: after a move it shows where the target is now (the run's
    report shows both places on one frame; the pull request says which is which)."""
    parts = rel.split("/")  # instructions/images/<site>/<locale>/<viewport>/<step>.png
    site, locale, viewport, step = parts[2], parts[3], parts[4], parts[5].removesuffix(".png")
    for path in sorted(ws.glob(f"snapshots/{site}-*/{locale}/{viewport}/{step}.json")):
        snap = path.relative_to(ws).as_posix()
        try:
            old = json.loads(
                subprocess.run(
                    ["git", "-C", str(ws), "show", f"HEAD:{snap}"], capture_output=True, check=True, timeout=60
                ).stdout
            )
        except (subprocess.CalledProcessError, ValueError):
            continue
        if _where(old) != _where(json.loads(path.read_text())):
            return False
    return True


def _where(snapshot: dict[str, Any]) -> tuple[object, object]:
    return snapshot.get("url"), (snapshot.get("target") or {}).get("context")


def feed_items(folder: Path, base_ids: set[str], ids: set[str], verdicts: set[str]) -> list[Found]:
    """Every new entry of every per-language feed (feed-<ll>.atom), read with feedparser."""
    import feedparser

    items = []
    for path in sorted(folder.glob("feed-*.atom")):
        ll = path.stem.removeprefix("feed-")
        for e in feedparser.parse(path.read_bytes()).entries:
            if e.get("id", "") in base_ids:
                continue
            html = " ".join(c.get("value", "") for c in e.get("content", [])) or e.get("summary", "")
            title = e.get("title", "")
            plain = re.sub(r"<[^>]+>", " ", html)
            defects = [
                *mc.machine_words(f"{title}\n{html}", lang=ll, ids=ids, verdicts=verdicts),
                *mc.wrong_language(f"{title}. {plain}", ll),
                *mc.cut_labels(title),
            ]
            items.append(Found("feed", f"_feeds/{path.name}: {title[:80]}", ll, defects))
    return items


def changelog_items(ws: Path, ids: set[str], verdicts: set[str]) -> list[Found]:
    """The lines CHANGELOG.md (feed's output) gained over the baseline's."""
    new = ws / "_feeds" / "CHANGELOG.md"
    base = ws.parent.parent / "baseline-ws" / "_feeds" / "CHANGELOG.md"
    if not new.exists():
        return []
    seen_before = set(base.read_text().splitlines()) if base.exists() else set()
    added = "\n".join(line for line in new.read_text().splitlines() if line not in seen_before)
    if not added.strip():
        return []
    return [
        Found("changelog", "_feeds/CHANGELOG.md", "—", mc.machine_words(added, lang="en", ids=ids, verdicts=verdicts))
    ]


# --------------------------------------------------------------------------- the document


@dataclass
class Totals:
    pages: int
    prs: int
    clean: int
    stale_pages: int
    defects: int

    @property
    def clean_share(self) -> float:
        return self.clean / (self.pages + self.prs) if self.pages + self.prs else 1.0


def totals(results: list[VariantResult]) -> Totals:
    items = [i for r in results for i in r.items]
    checked = [i for i in items if i.what in ("page", "pr")]
    return Totals(
        pages=sum(i.what == "page" for i in items),
        prs=sum(i.what == "pr" for i in items),
        clean=sum(not i.defects for i in checked),
        stale_pages=sum(i.what == "page" and any(d.kind == mc.STALE for d in i.defects) for i in items),
        defects=sum(len(i.defects) for i in items),
    )


def _esc(text: str) -> str:
    """Scraped or generated text made inert in a Markdown table cell or list item."""
    from monitor.guard.inert import md_text

    return str(md_text(" ".join(str(text).split()))).replace("|", "\\|")


def markdown(
    results: list[VariantResult],
    *,
    commit: str,
    seconds: float,
    walked: dict[str, float],
    key: str,
    walk_seconds: dict[str, float] | None = None,
) -> str:
    """docs/merge-ready.md: how it ran, the totals, per variant and locale, by kind, every defect."""
    recorded = walk_seconds or {}
    walk_times = (
        ", ".join(f"{k} {v:.0f} s" for k, v in recorded.items()) + f"; {sum(recorded.values()):.0f} s in all"
        if recorded
        else "none recorded"
    )
    t = totals(results)
    kinds = [k for k in mc.KINDS]
    short = {k: k.replace("pr-", "").replace("-", " ") for k in kinds}
    lines = [
        "# Merge-ready: the editor's check, measured",
        "",
        "Generated by `make merge-ready` (scripts/merge_ready.py); do not edit by hand. Regenerate with "
        "`make merge-ready` (cached walks in build/merge-ready/ are re-used; `--fresh` walks again).",
        "",
        f"Ran {commit}, in {seconds:.0f} s"
        + (
            f" (walked now: {', '.join(f'{k} {v:.0f} s' for k, v in walked.items())})"
            if walked
            else " (every walk from the cache)"
        )
        + f"; walk cache key `{key}`.",
        "",
        f"Walk times (wall time of `check` where measured, else its run.json's walking time): {walk_times}.",
        "",
        "Each variant of the replica was walked (the journeys it changes, every locale of monitor.yaml, both "
        "viewports) against one accepted baseline, then `update`, `publish --dry-run`, `feed` and `site` ran on a "
        "fresh copy of the baseline workspace. The checklist (docs/decisions/0021-merge-without-editing.md) was "
        "applied to every page `update` changed (its pictures included), every pull request body and every new "
        "entry of the per-language feeds and CHANGELOG.md.",
        "",
        "## Totals",
        "",
        f"- Changed pages checked: {t.pages}; pull request bodies checked: {t.prs}",
        f"- **{t.clean_share:.0%}** of changed pages and pull request bodies with zero defects ({t.clean} of {t.pages + t.prs})",
        f"- **{t.stale_pages}** page(s) with a stale label",
        f"- Defects found: {t.defects}",
        "",
        "## Per variant and locale",
        "",
        "Outcome is the report's. The locale “—” rows are the variant's pull request bodies and the lines "
        "CHANGELOG.md gained (in English, for every language). Columns after *feed entries* count defects by kind.",
        "",
        "| variant | outcome | locale | pages | PRs | feed entries | " + " | ".join(short[k] for k in kinds) + " |",
        "|---|---|---|---:|---:|---:|" + "---:|" * len(kinds),
    ]
    all_counts: Counter[str] = Counter()
    for r in results:
        by_locale: dict[str, list[Found]] = defaultdict(list)
        for i in r.items:
            by_locale[i.locale].append(i)
        if not by_locale:
            lines.append(f"| {r.variant} | {r.outcome} | — | 0 | 0 | 0 | " + " | ".join("0" for _ in kinds) + " |")
        for ll in sorted(by_locale, key=lambda x: (x == "—", x != "en", x)):
            its = by_locale[ll]
            counts = Counter(d.kind for i in its for d in i.defects)
            all_counts.update(counts)
            lines.append(
                f"| {r.variant} | {r.outcome} | {ll} | {sum(i.what == 'page' for i in its)} | "
                f"{sum(i.what == 'pr' for i in its)} | {sum(i.what == 'feed' for i in its)} | "
                + " | ".join(str(counts.get(k, 0)) for k in kinds)
                + " |"
            )
    lines += ["", "## Defects by kind", "", "| kind | found |", "|---|---:|"]
    lines += [f"| {k} | {all_counts.get(k, 0)} |" for k in kinds]
    lines += ["", "## Every defect", ""]
    for r in results:
        listed = [(i, d) for i in r.items for d in i.defects]
        if not listed:
            continue
        lines += [f"### {r.variant}", ""]
        for i, d in listed:
            lines.append(
                f"- `{d.kind}` in {_esc(i.path)}: “{_esc(d.text)}”" + (f" — {_esc(d.detail)}" if d.detail else "")
            )
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
