"""A mutation proxy in front of the replica: pages nobody here wrote, and faults that are not changes.

The replica's variants were written with the walker; this corpus was not. The proxy forwards every
request to the replica and, for the current `Mutation`, either rewrites the rendered page (a script
injected after the replica renders: remove a link, tuck it into an accordion, delay it, insert
invisible characters) or breaks the transport (a dropped connection, a malformed header, a stall,
a redirect to a login or checkpoint page). The proxy itself is monitor/replica/proxy.py;
scripts/mutation_accuracy.py walks every case and writes the table in docs/accuracy.md.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Mutation:
    """One case: what the proxy does, and the verdict a careful person would give the object link."""

    name: str
    kind: str  # the failure class it exercises (hop, disclosure, slow, fault, consent, appeared, invisible, names, noise, shadow, iframe, …)
    expected: str  # a verdict value; "blocked:<reason>" for a walk that cannot see
    description: str
    path: str = "/privacy/genai/"  # requests whose path starts with this are mutated ("" = every request)
    script: str = ""  # JavaScript run on the rendered page; `link()` returns the object link
    delay_s: float = 0.0  # before answering
    # drop | bad-header | huge-header | bad-length | stall | redirect-login | redirect-checkpoint | repeat-date |
    # folded-header | repeat-cookie | chunked | trickle | redirect-loop | redirect-chain
    fault: str = ""
    status: int = 0  # answer with this status instead
    headers: tuple[tuple[str, str], ...] = ()  # added to the answer (with `status`: a 429's Retry-After)
    before: str = ""  # JavaScript for the case's own baseline (accepted with it); "" = the shared baseline


def _js(body: str) -> str:
    return body


# Makes `d` (the cookie dialog) modal the way dialog libraries do: every sibling of its outermost
# wrapper gets `attr` (inert or aria-hidden). `modal(d, attr)`.
_MODAL = (
    "const d = (() => { let el = document.querySelector('[role=dialog]'); while (el.parentElement &&"
    " el.parentElement.children.length < 2) el = el.parentElement; return el; })();"
    " function modal(d, attr) { [...d.parentNode.children].forEach(k => { if (k !== d) k.setAttribute(attr,"
    " attr === 'inert' ? '' : 'true'); }); }"
)


# `shadow(el)`: el moves into an open shadow root attached to a plain div in its place, with the
# document's style sheets cloned in, so that it looks (and reads to a person) exactly as before.
_SHADOW = (
    "function shadow(el) { const host = document.createElement('div'); el.replaceWith(host);"
    " const root = host.attachShadow({mode: 'open'});"
    " document.querySelectorAll('style, link[rel=stylesheet]').forEach(s => root.appendChild(s.cloneNode(true)));"
    " root.appendChild(el); }"
)

# `framed(el, then)`: el moves into a same-site iframe (srcdoc: the page's own origin) in its place,
# borderless and as tall as its content, with the page's style sheets, the text style el had from
# its parents and el's margins on the frame, so that it looks (and reads to a person) as before;
# `then(doc)` runs on the frame's document once it has loaded.
_FRAME = (
    "function framed(el, then) { const f = document.createElement('iframe'); const cs = getComputedStyle(el.parentElement);"
    " const own = getComputedStyle(el); f.style.cssText = 'border:0;display:block;width:100%;margin:' + own.margin;"
    " f.setAttribute('scrolling', 'no'); const styles = [...document.querySelectorAll('style, link[rel=stylesheet]')]"
    ".map(s => s.outerHTML).join(''); el.style.margin = '0'; f.srcdoc = '<!DOCTYPE html><html lang=\"'"
    " + document.documentElement.lang + '\"><head><meta charset=utf-8>' + styles + '</head><body style=\"margin:0;"
    "background:transparent;font:' + cs.font.replace(/\"/g, \"'\") + ';color:' + cs.color + ';letter-spacing:'"
    " + cs.letterSpacing + '\">' + el.outerHTML + '</body></html>'; f.onload = () => { const d = f.contentDocument;"
    " if (then) then(d); f.style.height = Math.ceil(d.body.getBoundingClientRect().height) + 'px'; }; el.replaceWith(f); }"
)

# `rename(pattern, label)`: the cookie dialog's button whose text matches gets a new label.
_CONSENT_BUTTONS = (
    "function rename(re, label) { const d = document.querySelector('[role=dialog]'); if (!d) return;"
    " const b = [...d.querySelectorAll('[role=button], button')].find(x => re.test(x.textContent));"
    " if (b) b.textContent = label; }"
)


def _wrap(tag_open: str, tag_close: str) -> str:
    """Wrap the paragraph holding the link in a disclosure."""
    return _js(f"""const p = link().closest('p'); const w = document.createElement('div');
      w.innerHTML = {tag_open!r} + {tag_close!r}; const slot = w.querySelector('[data-slot]') || w.lastElementChild;
      p.replaceWith(w); slot.appendChild(p);""")


CORPUS: tuple[Mutation, ...] = (
    # ---- unchanged and noise: no alarm
    Mutation("proxy-unchanged", "noise", "unchanged", "the page through the proxy, untouched"),
    Mutation(
        "late-footer",
        "noise",
        "unchanged",
        "a footer line appears 1.5 s after render",
        script=_js(
            "setTimeout(() => { const f = document.createElement('div'); f.textContent = 'Updated just now';"
            " document.body.appendChild(f); }, 1500);"
        ),
    ),
    Mutation("slow-response", "noise", "unchanged", "the server answers after 2 s", delay_s=2.0),
    Mutation(
        "nbsp-in-sentence",
        "invisible",
        "unchanged",
        "the sentence's spaces become no-break spaces",
        script=_js(
            "const p = link().closest('p'); p.childNodes.forEach(n => { if (n.nodeType === 3)"
            " n.nodeValue = n.nodeValue.replace(/ /g, '\\u00a0'); });"
        ),
    ),
    # ---- invisible characters are not rewording
    Mutation(
        "soft-hyphen",
        "invisible",
        "unchanged",
        "a soft hyphen inside the link's word",
        script=_js("const s = link().querySelector('span') || link(); s.textContent = 'ob\\u00adject';"),
    ),
    Mutation(
        "zero-width-space",
        "invisible",
        "unchanged",
        "a zero-width space inside the link's word",
        script=_js("const s = link().querySelector('span') || link(); s.textContent = 'obj\\u200bect';"),
    ),
    Mutation(
        "zero-width-joiner",
        "invisible",
        "unchanged",
        "a zero-width joiner and a BOM in the word",
        script=_js("const s = link().querySelector('span') || link(); s.textContent = '\\ufeffob\\u200dject';"),
    ),
    Mutation(
        "nbsp-around-link",
        "invisible",
        "cosmetic",
        "no-break spaces inside the link, around the word (the underline is wider: it looks different)",
        script=_js("const s = link().querySelector('span') || link(); s.textContent = '\\u00a0object\\u00a0';"),
    ),
    Mutation(
        "fullwidth-letters",
        "invisible",
        "cosmetic",
        "the word in full-width letters (the same word after NFKC; wider glyphs look different)",
        script=_js(
            "const s = link().querySelector('span') || link(); s.textContent = '\\uff4f\\uff42\\uff4a\\uff45\\uff43\\uff54';"
        ),
    ),
    # ---- real rewording and relinking: the instructions change
    Mutation(
        "renamed-link",
        "names",
        "reworded",
        "the link now says 'opt out'",
        script=_js("const s = link().querySelector('span') || link(); s.textContent = 'opt out';"),
    ),
    Mutation(
        "new-destination",
        "hop",
        "retargeted",
        "the link leads to another form",
        script=_js("link().href = 'https://www.facebook.com/help/contact/6359191084165019';"),
    ),
    Mutation(
        "link-to-plain-text",
        "hop",
        "target-gone",
        "the link becomes plain text",
        script=_js("const a = link(); a.replaceWith(document.createTextNode(a.textContent));"),
    ),
    Mutation(
        "link-removed",
        "hop",
        "target-gone",
        "the link and its sentence are removed",
        script=_js("link().closest('p').remove();"),
    ),
    Mutation(
        "unrelated-object-elsewhere",
        "hop",
        "target-gone",
        "the link is removed; an unrelated page one click away has an 'object' link to another place",
        script=_js(
            "const p = link().closest('p'); const a = document.createElement('a');"
            " a.href = 'https://www.facebook.com/privacy/decoy/'; a.textContent = 'How do we use your information?';"
            " p.replaceWith(a);"
        ),
    ),
    Mutation(
        "moved-to-rights-page",
        "hop",
        "step-added",
        "the sentence now points to a 'your rights' page; the object link there leads to the same form",
        script=_js(
            "const p = link().closest('p'); p.innerHTML = 'To object, read about <a href=\"https://www.facebook.com/"
            "privacy/your-rights/\">your rights</a>.';"
        ),
    ),
    Mutation(
        "link-to-button",
        "names",
        "reworded",
        "the link becomes a button that navigates",
        script=_js(
            "const a = link(); const b = document.createElement('div'); b.setAttribute('role', 'button');"
            " b.tabIndex = 0; b.textContent = a.textContent; const to = a.href;"
            " b.onclick = () => { location.href = to; }; a.replaceWith(b);"
        ),
    ),
    Mutation(
        "link-to-button-elsewhere",
        "names",
        "target-gone",
        "the link becomes a same-named button that navigates somewhere else (the help centre's front page)",
        script=_js(
            "const a = link(); const b = document.createElement('div'); b.setAttribute('role', 'button');"
            " b.tabIndex = 0; b.textContent = a.textContent; const to = new URL('/help/', location.href).href;"
            " b.onclick = () => { location.href = to; }; a.replaceWith(b);"
        ),
    ),
    # ---- disclosures: the link is still there, one click further
    Mutation(
        "details-accordion",
        "disclosure",
        "step-added",
        "the paragraph is tucked into a `details` element",
        script=_wrap("<details><summary>Your rights</summary><div data-slot></div></details>", ""),
    ),
    Mutation(
        "aria-expanded-accordion",
        "disclosure",
        "step-added",
        "the paragraph is hidden behind a button with aria-expanded",
        script=_js(
            "const p = link().closest('p'); const b = document.createElement('button');"
            " b.textContent = 'Learn more about your rights'; b.setAttribute('aria-expanded', 'false');"
            " p.hidden = true; p.before(b); b.onclick = () => { p.hidden = false;"
            " b.setAttribute('aria-expanded', 'true'); };"
        ),
    ),
    Mutation(
        "see-more",
        "disclosure",
        "step-added",
        "a 'See more' button reveals the sentence",
        script=_js(
            "const p = link().closest('p'); p.style.display = 'none'; const b = document.createElement('div');"
            " b.setAttribute('role', 'button'); b.tabIndex = 0; b.textContent = 'See more'; p.before(b);"
            " b.onclick = () => { p.style.display = ''; b.remove(); };"
        ),
    ),
    # ---- slow rendering: still there
    Mutation(
        "late-link-2800ms",
        "slow",
        "unchanged",
        "the link's paragraph shows 2.8 s after render",
        script=_js("const p = link().closest('p'); p.hidden = true; setTimeout(() => { p.hidden = false; }, 2800);"),
    ),
    Mutation(
        "late-link-3600ms",
        "slow",
        "unchanged",
        "the link's paragraph is added to the DOM 3.6 s after render, in its place",
        script=_js(
            "const p = link().closest('p'); const parent = p.parentNode, next = p.nextSibling; p.remove();"
            " setTimeout(() => { parent.insertBefore(p, next); }, 3600);"
        ),
    ),
    Mutation(
        "late-page-3200ms",
        "slow",
        "unchanged",
        "the whole page renders 3.2 s late",
        script=_js(
            "const r = document.getElementById('root') || document.body.firstElementChild; r.style.visibility = 'hidden';"
            " setTimeout(() => { r.style.visibility = ''; }, 3200);"
        ),
    ),
    # ---- faults that are not UI changes
    Mutation("dropped-connection", "fault", "blocked:http-error", "the connection drops mid-response", fault="drop"),
    # These two were first labelled blocked:http-error; the first run showed the page arrives whole
    # (a tolerant reader skips the bad line, reads to the close): nothing changed, so unchanged.
    Mutation(
        "malformed-header",
        "fault",
        "unchanged",
        "a header line without a colon (the body still arrives whole)",
        fault="bad-header",
    ),
    Mutation("huge-header", "fault", "blocked:http-error", "a 100 kB header line", fault="huge-header"),
    Mutation(
        "bad-content-length",
        "fault",
        "unchanged",
        "Content-Length is not a number (the body is read to the close)",
        fault="bad-length",
    ),
    Mutation("stalled-response", "fault", "blocked:timeout", "headers sent, then nothing", fault="stall"),
    Mutation("redirect-to-login", "fault", "blocked:login", "a 302 to a login page", fault="redirect-login"),
    Mutation(
        "redirect-to-checkpoint",
        "fault",
        "blocked:security-check",
        "a 302 to a checkpoint page",
        fault="redirect-checkpoint",
    ),
    Mutation("server-503", "fault", "blocked:http-error", "503 Service Unavailable", status=503),
    # ---- response-level faults that are legal HTTP: the page loads like any other
    Mutation(
        "repeated-date", "response", "unchanged", "a second Date and a repeated Cache-Control", fault="repeat-date"
    ),
    Mutation(
        "folded-header", "response", "unchanged", "header values folded onto a continuation line", fault="folded-header"
    ),
    Mutation(
        "repeated-set-cookie", "response", "unchanged", "four Set-Cookie lines, Vary twice", fault="repeat-cookie"
    ),
    Mutation("chunked-body", "response", "unchanged", "chunked framing without Content-Length", fault="chunked"),
    Mutation("trickled-body", "response", "unchanged", "the body arrives in 12 pieces over 2.4 s", fault="trickle"),
    Mutation("redirect-chain", "response", "unchanged", "301, 302, 307, then the page", fault="redirect-chain"),
    Mutation("redirect-loop", "response", "blocked:http-error", "a 302 to itself, for ever", fault="redirect-loop"),
    Mutation(
        "too-many-requests",
        "response",
        "blocked:http-error",
        "429 Too Many Requests with Retry-After: 120",
        status=429,
        headers=(("Retry-After", "120"),),
    ),
    # ---- consent that does not close
    Mutation(
        "consent-stays",
        "consent",
        "blocked:consent",
        "the decline button does nothing: the dialog stays and the page stays aria-hidden",
        script=_js(
            "const r = document.getElementById('root') || document.body.firstElementChild;"
            " const main = document.querySelector('main'); if (main) main.parentElement.setAttribute('aria-hidden', 'true');"
            " document.addEventListener('click', e => { if (e.target.closest('[role=dialog]')) e.stopImmediatePropagation(); }, true);"
        ),
    ),
    Mutation(
        "consent-leaves-inert",
        "consent",
        "blocked:consent",
        "the modal marks the rest of the page inert; its close button removes the dialog but not the inert",
        script=_js(_MODAL + "modal(d, 'inert');"),
    ),
    Mutation(
        "consent-reopens",
        "consent",
        "blocked:consent",
        "the cookie is never stored: the dialog comes back 0.7 s after each click, modal again (aria-hidden)",
        script=_js(
            _MODAL + "modal(d, 'aria-hidden'); const parent = d.parentNode;"
            " new MutationObserver(() => { if (!d.isConnected) setTimeout(() => { if (!d.isConnected) {"
            " parent.appendChild(d); modal(d, 'aria-hidden'); } }, 700); }).observe(parent, {childList: true});"
        ),
    ),
    Mutation(
        "consent-button-dead",
        "consent",
        "blocked:consent",
        "the decline and accept buttons do nothing (a script error); the page behind is not hidden from readers",
        script=_js(
            "document.addEventListener('click', e => { if (e.target.closest('[role=dialog]'))"
            " e.stopImmediatePropagation(); }, true);"
        ),
    ),
    Mutation(
        "consent-renamed",
        "consent",
        "blocked:consent",
        "the cookie dialog's decline button is renamed 'Reject non-essential'",
        path="",
        script=_js(_CONSENT_BUTTONS + "rename(/decline|essential/i, 'Reject non-essential');"),
    ),
    Mutation(
        "consent-all-renamed",
        "consent",
        "blocked:consent",
        "both cookie buttons are renamed ('Necessary only', 'Accept everything')",
        path="",
        script=_js(
            _CONSENT_BUTTONS
            + "rename(/decline|essential/i, 'Necessary only'); rename(/allow all|accept/i, 'Accept everything');"
        ),
    ),
    # ---- an absent target is a state: its return is news (each case accepts its own baseline)
    Mutation(
        "appeared-after-removal",
        "appeared",
        "appeared",
        "accepted while the link and its sentence were gone; now the page is back as it was",
        before=_js("link().closest('p').remove();"),
    ),
    Mutation(
        "appeared-from-plain-text",
        "appeared",
        "appeared",
        "accepted while 'object' was plain text; now it is a link to the form again",
        before=_js("const a = link(); a.replaceWith(document.createTextNode(a.textContent));"),
    ),
    Mutation(
        "appeared-elsewhere",
        "appeared",
        "appeared",
        "accepted without the link; it comes back at the top of the page, leading to another form",
        before=_js("link().closest('p').remove();"),
        script=_js(
            "const a = link(); a.href = 'https://www.facebook.com/help/contact/6359191084165019';"
            " const p = a.closest('p'); const main = document.querySelector('main, [role=main]') || p.parentNode;"
            " main.prepend(p);"
        ),
    ),
    Mutation(
        "still-absent",
        "appeared",
        "unchanged",
        "accepted without the link; still without it (the accepted state, not news)",
        before=_js("link().closest('p').remove();"),
        script=_js("link().closest('p').remove();"),
    ),
    # ---- interstitials: a button between the page and the link
    Mutation(
        "continue-interstitial",
        "disclosure",
        "step-added",
        "an interstitial page ('Before you continue') whose 'Continue' button loads the page with ?seen=1",
        script=_js(
            "if (!/[?&]seen=1/.test(location.search)) { const r = document.getElementById('root') ||"
            " document.body.firstElementChild; r.style.display = 'none'; const w = document.createElement('main');"
            " w.innerHTML = '<h1>Before you continue</h1><p>We have updated how we describe generative AI.</p>';"
            " const b = document.createElement('button'); b.textContent = 'Continue';"
            " b.onclick = () => { location.href = location.pathname + '?seen=1'; }; w.appendChild(b);"
            " document.body.prepend(w); }"
        ),
    ),
    Mutation(
        "continue-in-place",
        "disclosure",
        "step-added",
        "the article hides behind a 'Continue reading' panel; the button shows it in place",
        script=_js(
            "const p = link().closest('p'); const box = p.parentNode;"
            " const hidden = [...box.children].slice([...box.children].indexOf(p));"
            " hidden.forEach(k => { k.style.display = 'none'; }); const b = document.createElement('button');"
            " b.textContent = 'Continue reading'; p.before(b);"
            " b.onclick = () => { hidden.forEach(k => { k.style.display = ''; }); b.remove(); };"
        ),
    ),
    Mutation(
        "read-more-link-expands",
        "disclosure",
        "step-added",
        "a 'Read more' link (href='#', aria-expanded='false') expands the section holding the sentence",
        script=_js(
            "const p = link().closest('p'); const a = document.createElement('a'); a.href = '#';"
            " a.textContent = 'Read more'; a.setAttribute('aria-expanded', 'false'); p.hidden = true; p.before(a);"
            " a.onclick = e => { e.preventDefault(); p.hidden = false; a.setAttribute('aria-expanded', 'true'); };"
        ),
    ),
    # ---- component boundaries a person does not see: same words, same place, same destination
    Mutation(
        "shadow-root-paragraph",
        "shadow",
        "unchanged",
        "the link's paragraph rendered inside an open shadow root (the page's styles adopted)",
        script=_js(_SHADOW + "shadow(link().closest('p'));"),
    ),
    Mutation(
        "shadow-root-article",
        "shadow",
        "unchanged",
        "the whole article (headings and all) rendered inside an open shadow root",
        script=_js(_SHADOW + "const p = link().closest('p'); shadow(p.parentElement);"),
    ),
    # ---- frame boundaries a person does not see: same words, same place, same destination
    Mutation(
        "iframe-same-site-paragraph",
        "iframe",
        "unchanged",
        "the link's paragraph rendered inside a same-site iframe (borderless, as tall as its content, the page's styles)",
        script=_js(_FRAME + "framed(link().closest('p'));"),
    ),
    Mutation(
        "iframe-same-site-renamed",
        "iframe",
        "reworded",
        "the link's paragraph rendered inside a same-site iframe, where the link now says 'opt out'",
        script=_js(
            _FRAME + "framed(link().closest('p'), d => { const a = [...d.querySelectorAll('a')]"
            ".find(x => /^\\s*object\\s*$/i.test(x.textContent)); const s = a.querySelector('span') || a;"
            " s.textContent = 'opt out'; });"
        ),
    ),
    Mutation(
        "iframe-same-site-section-moved",
        "iframe",
        "moved",
        "the link's paragraph rendered inside a same-site iframe placed under a new heading at the end of the article",
        script=_js(
            _FRAME
            + "const p = link().closest('p'); const box = p.parentElement; const h = document.createElement('h2');"
            " h.textContent = 'Embedded notice'; box.append(h, p); framed(p);"
        ),
    ),
    # ---- content rendered when scrolled to
    Mutation(
        "scroll-reveal-end",
        "scroll",
        "moved",
        "the sentence leaves its place and is added at the end of the page only once the end is scrolled into view",
        script=_js(
            "const p = link().closest('p'); p.remove(); const end = document.createElement('div');"
            " end.style.minHeight = '40px'; (document.querySelector('main, [role=main]') || document.body).appendChild(end);"
            " new IntersectionObserver((es, o) => { if (es.some(e => e.isIntersecting)) { o.disconnect();"
            " const h = document.createElement('h2'); h.textContent = 'More about your rights'; end.append(h, p); } })"
            ".observe(end);"
        ),
    ),
    Mutation(
        "scroll-reveal-in-place",
        "scroll",
        "unchanged",
        "the sentence is rendered in its own place only once that place is scrolled into view",
        script=_js(
            "const p = link().closest('p'); const ph = document.createElement('p'); ph.style.minHeight = '1.2em';"
            " p.replaceWith(ph); new IntersectionObserver((es, o) => { if (es.some(e => e.isIntersecting)) {"
            " o.disconnect(); setTimeout(() => ph.replaceWith(p), 300); } }).observe(ph);"
        ),
    ),
    Mutation(
        "scroll-event-end",
        "scroll",
        "moved",
        "the sentence leaves its place; a long 'Related articles' section follows, and a scroll handler adds the"
        " sentence at the end once a reader scrolls there",
        script=_js(
            "const p = link().closest('p'); p.remove(); const box = document.querySelector('main, [role=main]') ||"
            " document.body; const more = document.createElement('section'); more.style.minHeight = '1600px';"
            " more.innerHTML = '<h2>Related articles</h2><p>How Meta uses information for generative AI models.</p>';"
            " box.append(more); const add = () => { if (window.scrollY + window.innerHeight >="
            " document.documentElement.scrollHeight - 60) { window.removeEventListener('scroll', add);"
            " const h = document.createElement('h2'); h.textContent = 'More about your rights'; box.append(h, p); } };"
            " window.addEventListener('scroll', add);"
        ),
    ),
    # ---- two links with the tracked name: which one the instructions mean is news
    Mutation(
        "second-link-before",
        "duplicate",
        "retargeted",
        "a second 'object' link, to another form, appears above the real one",
        script=_js(
            "const p = document.createElement('p'); p.innerHTML = 'You can also <a href=\"https://www.facebook.com/"
            "help/contact/1111111111\">object</a> to marketing messages.'; link().closest('p').before(p);"
        ),
    ),
    Mutation(
        "second-link-after",
        "duplicate",
        "retargeted",
        "a second 'object' link, to another form, appears below the real one",
        script=_js(
            "const p = document.createElement('p'); p.innerHTML = 'You can also <a href=\"https://www.facebook.com/"
            "help/contact/1111111111\">object</a> to marketing messages.'; link().closest('p').after(p);"
        ),
    ),
    # ---- names are not whole strings on real pages
    Mutation(
        "object-to-phrase",
        "names",
        "reworded",
        "the link text grows to 'right to object to'",
        script=_js("const s = link().querySelector('span') || link(); s.textContent = 'object to';"),
    ),
)


def get_mutation(name: str) -> Mutation:
    for mutation in CORPUS:
        if mutation.name == name:
            return mutation
    raise KeyError(f"unknown mutation {name!r}; known: {', '.join(m.name for m in CORPUS)}")
