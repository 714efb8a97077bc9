"""What of a logged-in page may appear in a screenshot: the path's chrome, never the people.

Each journey declares, in the journey file, the regions that hold other people's and the
account's content (`hide`: feed, stories, posts, contacts, notifications, chat heads, avatars)
and the regions the instructions need (`keep`: the menus, the Privacy Center, the form). Hidden
regions are painted over; a kept region is never painted over as a whole, even when it sits inside
a hidden one, but what it holds that matches `hide` (an avatar in the menu) still is. On top of
that, every piece of text that holds an identity token (monitor/guard/redact.py) gets a box of its own,
measured in the DOM, so a first name inside a sentence is covered where it shows.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator


class Region(BaseModel):
    """An element by role (explicit or implied by its tag) and optional accessible names, or by CSS."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    role: str | None = None
    name: dict[str, list[str]] | None = None
    css: str | None = None

    @model_validator(mode="after")
    def _role_or_css(self) -> Region:
        if (self.role is None) == (self.css is None):
            raise ValueError("a region needs exactly one of role (optionally with name) or css")
        if self.css is not None and self.name is not None:
            raise ValueError("a css region takes no name")
        return self

    def as_js(self, locale: str) -> dict[str, Any]:
        names = (self.name or {}).get(locale) or (self.name or {}).get("en") or []
        return {"role": self.role, "names": list(names), "css": self.css}


class Privacy(BaseModel):
    """A journey's screenshot policy: what is painted over and what is kept."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    hide: list[Region] = []
    keep: list[Region] = []

    def as_js(self, locale: str) -> list[list[dict[str, Any]]]:
        return [[r.as_js(locale) for r in self.hide], [r.as_js(locale) for r in self.keep]]


ATTR = "data-om-private"
# Applied only while a screenshot is taken (Playwright's `style`), so that the page keeps working
# for the next step. Painting by CSS rather than by a mask drawn on top keeps a kept dialog that
# floats over a hidden feed readable.
#: In the screenshot stylesheet, so that the page's change stamp (locate.CHANGE_STAMP_JS) knows it.
SCREENSHOT_MARK = "optout-monitor: screenshot only"
SCREENSHOT_CSS = """/* {mark} */
{sel} { background: {colour} !important; background-image: none !important; color: transparent !important;
  -webkit-text-fill-color: transparent !important; border-color: {colour} !important; box-shadow: none !important;
  text-shadow: none !important; object-position: -100000px 0 !important; }
{all} { visibility: hidden !important; }
""".replace("{mark}", SCREENSHOT_MARK)


def screenshot_css(colour: str, *attrs: str) -> str:
    """The stylesheet that paints every element carrying one of attrs (ATTR by default) and hides its content."""
    names = attrs or (ATTR,)
    sel = ", ".join(f"[{a}]" for a in names)
    every = ", ".join(f"[{a}] *" for a in names)
    return SCREENSHOT_CSS.replace("{sel}", sel).replace("{all}", every).replace("{colour}", colour)


# Marks (attr) the hidden regions of the page, except kept ones and the ancestors of kept ones,
# whose children are examined instead. An SVG part is marked by its <svg>.
MARK_PRIVATE_JS = """([attr, hide, keep]) => {
  document.querySelectorAll(`[${attr}]`).forEach(e => e.removeAttribute(attr));
  const fold = s => (s || '').normalize('NFKD').replace(/\\p{M}/gu, '').replace(/\\s+/g, ' ').trim().toLowerCase();
  const implicit = {article: 'article', aside: 'complementary', nav: 'navigation', header: 'banner',
    footer: 'contentinfo', main: 'main', ul: 'list', ol: 'list', li: 'listitem', img: 'img', form: 'form',
    dialog: 'dialog', section: 'region', image: 'img', picture: 'img', video: 'img', canvas: 'img'};
  const roleOf = el => el.getAttribute('role') || implicit[el.tagName.toLowerCase()] || '';
  const nameOf = el => fold(el.getAttribute('aria-label') ||
    (el.getAttribute('aria-labelledby') ? (document.getElementById(el.getAttribute('aria-labelledby')) || {}).textContent : ''));
  const matching = specs => {
    const out = new Set();
    for (const spec of specs) {
      if (spec.css) { document.querySelectorAll(spec.css).forEach(e => out.add(e)); continue; }
      const names = spec.names.map(fold);
      for (const el of document.querySelectorAll('*')) {
        if (roleOf(el) !== spec.role) continue;
        if (names.length && !names.includes(nameOf(el))) continue;
        out.add(el);
      }
    }
    return out;
  };
  const kept = [...matching(keep)];
  const holdsKept = el => kept.some(k => k === el || el.contains(k));
  let count = 0;
  const paint = el => {
    if (el instanceof SVGElement && el.ownerSVGElement) el = el.ownerSVGElement;
    if (!holdsKept(el)) { el.setAttribute(attr, ''); count++; return; }
    if (kept.includes(el)) return;
    for (const child of el.children) paint(child);
  };
  for (const el of matching(hide)) paint(el);
  // People, by what the region is rather than by who: a row that shows a round picture (a photo,
  // or a placeholder with the person's initial; not a glyph icon) beside a few short lines, among
  // sibling rows built the same way (suggestions, stories, chat heads, notifications, comments)
  // or beside a handle-like word (the account's own row), is painted, kept region or not.
  const shown = e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const avatar = e => {
    const r = e.getBoundingClientRect();
    if (r.width < 16 || r.width > 96 || Math.abs(r.width - r.height) > 3) return false;
    const radius = parseFloat(getComputedStyle(e).borderTopLeftRadius) || 0;
    if (radius < r.width * 0.4) return false;
    if (e.querySelector('svg path, svg use') && !e.querySelector('image')) return false;  // an icon
    return e.tagName === 'IMG' || !!e.querySelector('img, image') || (e.innerText || '').trim().length <= 2;
  };
  const signature = e => e.tagName + '.' + (typeof e.className === 'string' ? e.className : '');
  const rowOf = a => {  // the smallest ancestor (up to 3 levels) that adds text to the picture
    let row = a;
    for (let i = 0; i < 3 && row.parentElement && row.parentElement !== document.body; i++) {
      row = row.parentElement;
      const text = (row.innerText || '').trim();
      if (text.length > (a.innerText || '').trim().length) return row;
    }
    return null;
  };
  const handle = /(^|\\s)@?[a-z0-9](?:[a-z0-9_]|\\.(?!\\.)){1,28}[a-z0-9](\\s|$)/;
  for (const a of [...document.querySelectorAll('img, span, div, a, i')].filter(avatar).filter(shown)) {
    const row = rowOf(a);
    if (!row || row.closest('[role=menu], [role=menuitem], [role=tab], form, [role=form], [role=dialog]')) continue;
    const lines = (row.innerText || '').split('\\n').map(l => l.trim()).filter(Boolean);
    if (!lines.length || lines.length > 4 || lines.some(l => l.length > 80)) continue;
    const twins = row.parentElement ? [...row.parentElement.children].filter(k => k !== row
      && signature(k) === signature(row) && [...k.querySelectorAll('*')].some(avatar)) : [];
    if (twins.length || lines.some(l => handle.test(l) && /[._]/.test(l))) {
      if (!row.hasAttribute(attr)) { row.setAttribute(attr, ''); count++; }
    }
  }
  return count;
}"""
