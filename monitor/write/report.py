"""Report -> report.json, report.md, report.html and the pictures of each change; report.json -> Report.

Text scraped from the pages is hostile until proven otherwise: the HTML template autoescapes every
value, and the Markdown template escapes every value through md_escape unless it is an `Md` (markup
this module built itself), so a link named `<img onerror=…>` or `@someone` stays plain text.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape
from PIL import Image
from pydantic import ValidationError

from monitor import framing, imaging, store
from monitor.guard import files
from monitor.guard.inert import md_text
from monitor.judge import groups, textdiff
from monitor.model import (
    REPORT_VERSION,
    VERDICT_PRECEDENCE,
    Box,
    Category,
    Change,
    ChangeImages,
    Observation,
    Report,
    Verdict,
)
from monitor.write import nextsteps

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
IMAGES = "images"
#: A GitHub comment or body holds 65,536 characters.
MD_LIMIT = 65_536
#: Change groups shown as cards with pictures in report.html; the rest are rows of a table. Fewer
#: cards when the page would pass HTML_LIMIT bytes.
HTML_CARDS = 40
HTML_LIMIT = 5_000_000

CATEGORY_TEXT = {
    Category.NOTHING: "nothing to do",
    Category.UPDATE: "the instructions need an update",
    Category.HUMAN: "a human is needed",
}
_CATEGORY_RANK = {Category.HUMAN: 0, Category.UPDATE: 1, Category.NOTHING: 2}
_VERDICT_RANK = {v: i for i, v in enumerate(VERDICT_PRECEDENCE)}


class ReportError(Exception):
    """A file that is not a report this monitor can read; the message names the file."""


# --------------------------------------------------------------------------- Markdown safety


class Md(str):
    """Markdown this module built itself: the Markdown template does not escape it again."""

    __slots__ = ()


def md_escape(text: object) -> str:
    """Text made inert in Markdown: the project's one escaper (inert.md_text), which the
    instructions, pull-request bodies and the changelog use too."""
    s = "" if text is None else str(text)
    body = str(md_text(s))
    if not body:
        return " " if s[:1].isspace() else ""
    # pieces of a diff keep the space at their edges, which md_text (for whole labels) trims
    return (" " if s[:1].isspace() else "") + body + (" " if s[-1:].isspace() else "")


_SPACES = re.compile(r"\s+")


def md_code(text: object) -> Md:
    """An inline code span holding text verbatim (no mention, link or markup is formed inside)."""
    s = _SPACES.sub(" ", "" if text is None else str(text))
    longest = max((len(run) for run in re.findall(r"`+", s)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if s.startswith("`") or s.endswith("`") or (s.startswith(" ") and s.endswith(" ") and s.strip()) else ""
    return Md(f"{fence}{pad}{s}{pad}{fence}") if s else Md("")


def md_fence(text: str, lang: str = "") -> Md:
    """A fenced code block that the text cannot close."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return Md(f"{fence}{lang}\n{text}\n{fence}")


def md_ticks(text: object) -> Md:
    """Text of our own that marks commands with `backticks`: those become code, the rest is escaped."""
    parts = str(text).split("`")
    if len(parts) % 2 == 0:  # an unpaired backtick: no code at all
        return Md(md_escape(text))
    return Md("".join(md_code(p) if i % 2 else md_escape(p) for i, p in enumerate(parts)))


def html_ticks(text: object) -> Markup:
    """Text of our own that marks commands with `backticks`, as HTML: escaped, the commands in <code>."""
    parts = str(text).split("`")
    if len(parts) % 2 == 0:
        return escape(str(text))
    return Markup("").join(Markup("<code>{}</code>").format(p) if i % 2 else escape(p) for i, p in enumerate(parts))


def _md_finalize(value: Any) -> str:
    if isinstance(value, Md):
        return value
    if value is None:
        return ""
    return md_escape(value)


def _md_diff(ops: Iterable[tuple[int, str]]) -> Md:
    parts = []
    for op, text in ops:
        if op < 0:
            parts.append(f"<del>{md_escape(text)}</del>")
        elif op > 0:
            parts.append(f"<ins>{md_escape(text)}</ins>")
        else:
            parts.append(md_escape(text))
    return Md("".join(parts))


_SAFE_PATH = re.compile(r"[A-Za-z0-9._/-]+")


def _md_image(path: str | None, alt: str) -> Md:
    if not path or not _SAFE_PATH.fullmatch(path) or ".." in path:
        return Md("")
    return Md(f"[{alt}]({path})")


# --------------------------------------------------------------------------- rendering


def _environment(markdown: bool) -> Environment:
    if markdown:
        env = Environment(
            loader=FileSystemLoader(TEMPLATES),
            autoescape=False,  # Markdown is not HTML: every value goes through md_escape instead
            finalize=_md_finalize,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        env.filters.update(code=md_code, fence=md_fence, mddiff=_md_diff, image=_md_image, ticks=md_ticks)
    else:
        env = Environment(
            loader=FileSystemLoader(TEMPLATES),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        env.filters.update(ticks=html_ticks)
    env.globals.update(category_text=CATEGORY_TEXT, path_of=_context_path, short=_short_box)
    return env


@dataclass
class _ComboRow:
    journey: str
    locale: str
    viewport: str
    steps: int = 0
    counts: dict[Verdict, int] = field(default_factory=dict)
    outcome: Category = Category.NOTHING


def _combos(report: Report) -> list[_ComboRow]:
    rows: dict[tuple[str, str, str], _ComboRow] = {}
    for change in report.changes:
        row = rows.setdefault(
            (change.journey, change.locale, change.viewport), _ComboRow(change.journey, change.locale, change.viewport)
        )
        row.steps += 1
        if change.verdict is not Verdict.UNCHANGED:
            row.counts[change.verdict] = row.counts.get(change.verdict, 0) + 1
        if _CATEGORY_RANK[change.category] < _CATEGORY_RANK[row.outcome]:
            row.outcome = change.category
    for row in rows.values():
        row.counts = dict(sorted(row.counts.items(), key=lambda kv: _VERDICT_RANK[kv[0]]))
    return [rows[k] for k in sorted(rows)]


def _shown(report: Report) -> list[Change]:
    """Changes worth a card: everything but unchanged and new (a first run is a summary, not
    hundreds of pictures), the most demanding first."""
    shown = [c for c in report.changes if c.verdict not in (Verdict.UNCHANGED, Verdict.NEW)]
    return sorted(
        shown,
        key=lambda c: (_CATEGORY_RANK[c.category], _VERDICT_RANK[c.verdict], c.journey, c.locale, c.viewport, c.index),
    )


def _representatives(group: groups.Group[Change]) -> list[Change]:
    """One step per kind of device (the first locale's): the pictures a reader needs, not all of them."""
    chosen: dict[str, Change] = {}
    for change in group.members:
        chosen.setdefault(groups.viewport_kind(change.viewport), change)
    return list(chosen.values())


def _new_by_journey(report: Report) -> list[tuple[str, int, int]]:
    """(journey, walks, steps) of the steps that have no baseline yet."""
    walks: dict[str, set[tuple[str, str]]] = {}
    steps: dict[str, int] = {}
    for c in report.changes:
        if c.verdict is Verdict.NEW:
            walks.setdefault(c.journey, set()).add((c.locale, c.viewport))
            steps[c.journey] = steps.get(c.journey, 0) + 1
    return [(j, len(walks[j]), steps[j]) for j in sorted(walks)]


def _context(report: Report, detail: int | None = None, artifact: str = "") -> dict[str, Any]:
    changed = groups.of_changes(c for c in report.changes if c.verdict is not Verdict.NEW)
    cut = len(changed) if detail is None else detail
    return {
        "groups": changed,
        "detailed": changed[:cut],
        "rest": changed[cut:],
        "artifact": artifact,
        "new": _new_by_journey(report),
        "new_steps": report.counts.get(Verdict.NEW, 0),
        "next": nextsteps.next_steps(report),
        "representatives": _representatives,
        "kind": groups.viewport_kind,
        "report": report,
        "run": report.run,
        "outcome": report.outcome,
        "counts": [(v, v.category, report.counts.get(v, 0)) for v in VERDICT_PRECEDENCE],
        "combos": _combos(report),
        "shown": _shown(report),
        "unchanged": [c for c in report.changes if c.verdict is Verdict.UNCHANGED],
        "problems": report.problems,
    }


def markdown(report: Report, artifact: str = "") -> str:
    """The report as Markdown (for a pull-request or issue body); scraped text is escaped. It fits
    a GitHub comment: past MD_LIMIT characters the last change groups lose their detail (one line
    each), with a pointer to the full report (`artifact`)."""
    template = _environment(markdown=True).get_template("report.md.j2")
    detail = len(groups.of_changes(report.changes))
    while True:
        text = template.render(_context(report, detail, artifact))
        if len(text) <= MD_LIMIT or detail == 0:
            return text if len(text) <= MD_LIMIT else _hard_cut(text, artifact)
        detail //= 2


def _hard_cut(text: str, artifact: str) -> str:
    where = f" in {artifact}" if artifact else ""
    note = f"\n\n… cut to fit a GitHub comment; the whole report is report.html{where}.\n"
    return text[: MD_LIMIT - len(note)] + note


def html(report: Report, folder: Path | None = None) -> str:
    """The report as one HTML page under HTML_LIMIT bytes; pictures are files beside it (linked
    relatively, thumbnails shown)."""
    pictures: dict[tuple[str, str, str, str], dict[str, tuple[str, str]]] = {}
    for change in report.changes:
        pics = {}
        for which in ("before", "after", "diff"):
            rel = getattr(change.images, which)
            if rel and folder is not None and (folder / rel).is_file() and _SAFE_PATH.fullmatch(rel):
                thumb = _thumb_name(rel)
                pics[which] = (rel, thumb if (folder / thumb).is_file() else rel)
        pictures[change.key] = pics
    template = _environment(markdown=False).get_template("report.html.j2")
    detail = HTML_CARDS
    while True:
        context = _context(report, detail)
        context["pictures"] = lambda change: pictures.get(change.key, {})
        page = template.render(context)
        if len(page.encode("utf-8")) <= HTML_LIMIT or detail == 0:
            return page
        detail //= 2


def _thumb_name(rel: str) -> str:
    return rel[: -len(".png")] + ".thumb.png" if rel.endswith(".png") else rel


def _context_path(context: list[str]) -> str:
    return " › ".join(context) if context else "(top of the page)"


def _short_box(box: Box | None) -> str:
    if box is None:
        return "none"
    return f"{box.width}×{box.height} at ({box.x}, {box.y})"


# --------------------------------------------------------------------------- writing


def write(report: Report, out: Path, baseline: store.Tree, run_observations: Path, artifact: str = "") -> None:
    """Write out/report.json, out/report.md, out/report.html and, for every change that is not
    unchanged, out/images/<journey>/<locale>/<viewport>/<step>.{before,after,diff}.png."""
    changes = [
        change
        if change.verdict in (Verdict.UNCHANGED, Verdict.NEW)
        else _pictures(change, out, baseline, run_observations)
        for change in report.changes
    ]
    final = report.model_copy(update={"changes": changes})
    files.write_atomic(out / "report.json", final.canonical_json().encode("utf-8"))
    files.write_atomic(out / "report.md", markdown(final, artifact).encode("utf-8"))
    files.write_atomic(out / "report.html", html(final, out).encode("utf-8"))


# Verdicts whose story is the page around the target, not the target itself.
_WHOLE_PAGE = {Verdict.MOVED, Verdict.BLOCKED, Verdict.TARGET_GONE, Verdict.STEP_ADDED, Verdict.STEP_REMOVED}


def _pictures(change: Change, out: Path, baseline: store.Tree, run_observations: Path) -> Change:
    notes: list[str] = []
    base = baseline.observations.get(change.key)
    current = _current(run_observations, change)
    b_crop, b_page = _files(base, baseline.root)
    c_crop, c_page = _files(current, run_observations)
    clips = base is not None and current is not None and _clipped(base) and _clipped(current)
    crops = b_crop is not None and c_crop is not None and (clips or change.verdict not in _WHOLE_PAGE)
    b_src = b_crop if crops else (b_page or b_crop)
    c_src = c_crop if crops else (c_page or c_crop)
    before = _read(b_src, "before", notes)
    after = _read(c_src, "after", notes)
    if base is not None and base.images is not None and b_src is None:
        notes.append("no before picture: the baseline's image file is missing (see problems)")
    if current is not None and current.images is not None and c_src is None:
        notes.append("no after picture: this run's image file is missing")
    folder = Path(IMAGES, change.journey, change.locale, change.viewport)
    names: dict[str, str | None] = {"before": None, "after": None, "diff": None}
    framed = _framed(change, (base, b_crop, b_page), (current, c_crop, c_page), notes)
    shots, frames = framed if framed is not None else (None, None)
    if shots is None:  # no target on either side (a blocked page), or no picture of one side
        shots = {
            "before": _outlined(before, base, "page" if b_src == b_page else "target", notes),
            "after": _outlined(after, current, "page" if c_src == c_page else "target", notes),
            "diff": None,
        }
        # the side by side of what changed is cut from the whole pages when both exist: a crop has no context
        # (the target images are viewport-sized clips around the target when both steps have them: context enough)
        whole = b_page and c_page and not clips
        pages = (_read(b_page, "before page", []), _read(c_page, "after page", [])) if whole else (None, None)
        old_pic, new_pic = (pages[0], pages[1]) if pages[0] and pages[1] else (before, after)
        if old_pic is not None and new_pic is not None:
            try:
                shots["diff"] = imaging.diff_image(old_pic, new_pic)
            except (OSError, ValueError, Image.DecompressionBombError) as exc:
                notes.append(f"no diff picture: {exc}")
    for which, data in shots.items():
        if data is None:
            continue
        rel = folder / f"{change.step}.{which}.png"
        files.write_atomic(out / rel, data)
        files.write_atomic(out / _thumb_name(rel.as_posix()), imaging.thumbnail(data))
        names[which] = rel.as_posix()
    where = {"before_frame": frames.before, "after_frame": frames.after} if frames is not None else {}
    return change.model_copy(update={"images": ChangeImages(**names, notes=notes, **where)})


_Side = tuple[Observation | None, Path | None, Path | None]  # the observation, its target clip, its first screen


def _framed(
    change: Change, before: _Side, after: _Side, notes: list[str]
) -> tuple[dict[str, bytes | None], framing.Frames] | None:
    """Before and after cut to one frame (monitor/framing.py: the target's sentence in both, at
    whole lines), each outlining its target and the words that changed, and the two side by side;
    None when neither side shows a target or one side has no picture to cut from."""
    if change.verdict is Verdict.BLOCKED:  # the story is the page that stood in the way
        return None
    sources = [_placed(obs, crop, page) for obs, crop, page in (before, after)]
    if not sources[0] or not sources[1]:
        return None
    bounds = framing.union(box for side in sources for _, box in side)
    b_obs, c_obs = before[0], after[0]
    ops = change.evidence.sentence_diff
    if not ops and b_obs is not None and c_obs is not None and b_obs.target and c_obs.target:
        ops = textdiff.word_diff(b_obs.target.sentence, c_obs.target.sentence)
    frames = framing.frames(b_obs, c_obs, bounds, ops) if bounds is not None else None
    if frames is None:
        return None
    # where a capture's pixels end inside the frame, the line of text they cut is left out whole
    shown = [_visible(side, obs) for side, obs in zip(sources, (b_obs, c_obs), strict=True)]
    try:
        old = imaging.framed(sources[0], frames.before, frames.before_marks, shown[0])
        new = imaging.framed(sources[1], frames.after, frames.after_marks, shown[1])
        return {"before": old, "after": new, "diff": imaging.side_by_side(old, new)}, frames
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        notes.append(f"pictures not framed: {exc}")
        return None


def _visible(sources: list[tuple[bytes, Box]], obs: Observation | None) -> Box | None:
    """The part of the page a capture's images show, less the lines of text its edges cut."""
    area = framing.union(box for _, box in sources)
    core = framing.core(obs)
    if area is None or core is None or not framing.contains(area, core):
        return area
    return framing.whole_lines(area, framing.lines_of(obs), area, core)


def _placed(obs: Observation | None, crop: Path | None, page: Path | None) -> list[tuple[bytes, Box]]:
    """A capture's images with where each sits on the page: the first screen at the top, the clip
    around the target at its place (on top). An older tight crop has no place: it is left out."""
    out = []
    clip = obs.images.target_clip if obs is not None and obs.images is not None else None
    for path, where in ((page, None), (crop, clip)):
        data = _read(path, "page" if where is None else "target", [])
        if data is None or (path is crop and where is None):
            continue
        if where is None:
            with Image.open(io.BytesIO(data)) as img:
                where = Box(x=0, y=0, width=img.width, height=img.height)
        out.append((data, where))
    return out


def artifact_link(env: Mapping[str, str]) -> str:
    """Where the whole report lives when a Markdown copy was cut: the Actions run, when env is one's."""
    server, repo, run = (env.get(k, "") for k in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_RUN_ID"))
    return f"{server}/{repo}/actions/runs/{run}" if server and repo and run.isdigit() else ""


def _current(run_observations: Path, change: Change) -> Observation | None:
    try:
        return store.load_observation(store.observation_path(run_observations, change.key))
    except store.StoreError:
        return None


def _files(obs: Observation | None, root: Path) -> tuple[Path | None, Path | None]:
    if obs is None or obs.images is None:
        return None, None
    folder = store.combo_dir(root, obs.journey, obs.locale, obs.viewport)
    crop = folder / obs.images.target if obs.images.target else None
    page = folder / obs.images.page if obs.images.page else None
    return (crop if crop is not None and crop.is_file() else None), (
        page if page is not None and page.is_file() else None
    )


def _read(path: Path | None, which: str, notes: list[str]) -> bytes | None:
    if path is None:
        return None
    try:
        data = path.read_bytes()
        with Image.open(io.BytesIO(data)) as img:
            img.verify()
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        notes.append(f"no {which} picture: {path} is not a readable PNG ({exc})")
        return None
    return data


def _clipped(obs: Observation) -> bool:
    """The target image is a viewport-sized clip around the target: it shows the page around it."""
    return obs.images is not None and obs.images.target_clip is not None


def _outlined(data: bytes | None, obs: Observation | None, which: str, notes: list[str]) -> bytes | None:
    """The target outlined where the picture shows it (a tight crop is already about the target)."""
    box = imaging.target_in_image(obs, which) if obs is not None else None
    if data is None or box is None:
        return data
    try:
        return imaging.outline(data, box)
    except (OSError, ValueError) as exc:
        notes.append(f"target not outlined: {exc}")
        return data


# --------------------------------------------------------------------------- reading and merging


def load(path: Path) -> Report:
    """Read a report.json; ReportError names the file when it is not a report this version reads."""
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ReportError(f"{path}: no such file (give the report.json of a check's --out folder)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ReportError(f"{path}: cannot read it: {exc}") from None
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise ReportError(f"{path}: not a report: not JSON ({exc})") from None
    if not isinstance(data, dict) or "report_version" not in data:
        raise ReportError(f"{path}: not a report: no report_version field at the top")
    version = data["report_version"]
    if type(version) is not int or version != REPORT_VERSION:
        raise ReportError(
            f"{path}: report_version is {version!r}; this optout-monitor reads report_version {REPORT_VERSION} only"
        )
    try:
        return Report.model_validate(data)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"]) or "(top)"
        raise ReportError(f"{path}: not a valid report: {where}: {first['msg']}") from None


def merge(reports: list[Report]) -> Report:
    """Shards' reports as one: changes and problems together, outcome recomputed. Later shards win a
    step walked twice."""
    if not reports:
        raise ValueError("merge needs at least one report")
    changes: dict[tuple[str, str, str, str], Change] = {}
    problems = {}
    for r in reports:
        for change in r.changes:
            changes[change.key] = change
        for problem in r.problems:
            problems[problem.path] = problem
    runs = [r.run for r in reports]
    run = runs[0].model_copy(
        update={
            "started": min(r.started for r in runs),
            "finished": max(r.finished for r in runs),
            "seconds": max(r.seconds for r in runs),
            "workers": sum(r.workers for r in runs),
            "shard": "+".join(sorted(r.shard for r in runs)),
            "logged_in": sorted({c for r in runs for c in r.logged_in}),
            "unmasked": sorted({v for r in runs for v in r.unmasked}),
            "learned": sorted({d for r in runs for d in r.learned}),
        }
    )
    return Report.build(run, list(changes.values()), [problems[p] for p in sorted(problems)])
