"""Scraped text is inert: it renders as exactly its words, never as HTML, links, images or mentions."""

from __future__ import annotations

import html
import re

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from monitor.guard.inert import WORD_JOINER, Md, clean, html_text, md_code, md_format, md_relative, md_text, md_url

HOSTILE = [
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    "[click](javascript:alert(1))",
    "![x](http://evil/x.png)",
    "[ref]: https://evil.example",
    "<https://evil.example>",
    "https://evil.example/path?q=1",
    "see www.evil.example now",
    "mail me: someone@evil.example",
    "@everyone and @octocat",
    "fixes #1 and GH-2, owner/repo#3",
    "commit 4b825dc642cb6eb9a060e54bf8d69288fbee4904",
    "`code` and ``more``",
    "**bold** _em_ ~~strike~~ $x^2$",
    "# heading",
    "1. list",
    "- item",
    "+ item",
    "> quote",
    "=== setext",
    "| a | b |",
    "&lt;img&gt; &amp; &#60; &#x3C;",
    "line\nbreak\r\n\tand\x00control\x1b[31m chars\u202eevil\u200b",
    "trailing backslash \\",
    "<!-- comment -->",
    "\\[escaped\\]",
    "Settings & privacy",
    "ŒUVRES « opposer » „widersprechen“",
]

MD = MarkdownIt("commonmark").enable(["table", "strikethrough"])


def flat(tokens: list[Token]) -> list[Token]:
    out: list[Token] = []
    for token in tokens:
        out.append(token)
        if token.children:
            out.extend(flat(token.children))
    return out


def visible_text(rendered_html: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", rendered_html)).replace(WORD_JOINER, "").strip()


@pytest.mark.parametrize("raw", HOSTILE)
def test_md_text_renders_exactly_the_words_and_nothing_else(raw: str) -> None:
    escaped = md_text(raw)
    tokens = flat(MD.parse(f"Before {escaped} after\n\n{escaped}\n"))
    kinds = {t.type for t in tokens}
    assert not kinds & {
        "html_inline",
        "html_block",
        "link_open",
        "image",
        "code_inline",
        "em_open",
        "strong_open",
        "s_open",
        "heading_open",
        "bullet_list_open",
        "ordered_list_open",
        "blockquote_open",
        "table_open",
        "hr",
    }, kinds
    rendered = MD.render(f"{escaped}\n")
    assert "<img" not in rendered and "<a " not in rendered and "<script" not in rendered
    assert visible_text(rendered) == clean(raw), "the reader sees the captured words exactly"


@pytest.mark.parametrize("raw", HOSTILE)
def test_md_text_breaks_what_github_links_after_rendering(raw: str) -> None:
    text = visible_text(MD.render(md_text(raw) + "\n")).replace(WORD_JOINER, "")
    shown = html.unescape(re.sub(r"<[^>]+>", "", MD.render(md_text(raw) + "\n")))
    # with the joiners in place, none of GitHub's post-render autolink patterns match
    assert not re.search(r"@[A-Za-z0-9_]", shown)
    assert not re.search(r"#[0-9A-Za-z]", shown)
    assert not re.search(r"(?i)\bgh-\d", shown)
    assert not re.search(r"(?i)\b(https?|ftp|mailto|javascript):(?!\u2060)", shown)
    assert not re.search(r"(?i)\bwww\.", shown)
    assert not re.search(r"[0-9a-f]{7,40}", shown)
    assert text == clean(raw)


def test_clean_drops_controls_and_collapses_whitespace() -> None:
    assert clean(" a\n\tb\x00c\u202ed\u200be  ") == "a bcde"
    assert clean(None) == ""
    assert md_text("x" * 50, limit=10) == "xxxxxxxxx…"


def test_leading_markers_are_escaped() -> None:
    assert md_text("1. one") == "1\\. one"
    assert md_text("- dash") == "\\- dash"
    assert md_text("# hash").startswith("\\#")


def test_plain_labels_stay_readable_in_the_source() -> None:
    assert md_text("Settings & privacy") == "Settings & privacy"
    assert md_text("We'll honour your objection") == "We'll honour your objection"
    assert md_text("Vous opposer à l’utilisation") == "Vous opposer à l’utilisation"


@pytest.mark.parametrize("raw", ["plain", "a `tick`", "``double`` and `single`", "`edge`", "<b>x</b> @all #1", ""])
def test_md_code_is_one_code_span_with_the_exact_text(raw: str) -> None:
    tokens = [
        t
        for t in flat(MD.parse(f"x {md_code(raw)} y\n"))
        if t.type not in ("paragraph_open", "paragraph_close", "inline")
    ]
    codes = [t for t in tokens if t.type == "code_inline"]
    assert len(codes) == 1
    assert codes[0].content.strip() == raw.strip() or (raw == "" and codes[0].content == " ")
    assert not any(t.type in ("html_inline", "link_open", "image") for t in tokens)


def test_md_code_in_a_table_escapes_pipes() -> None:
    cell = md_code("a|b", in_table=True)
    rendered = MD.render(f"| h |\n|---|\n| {cell} |\n")
    assert "<code>a|b</code>" in rendered


def test_html_text_escapes_markup() -> None:
    assert html_text('<img src=x onerror="alert(1)">') == "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;"


def test_md_format_escapes_what_is_not_md() -> None:
    out = md_format("**{a}** {b}", a="<b>", b=Md.trusted("[ok](x.md)"))
    assert out == "**\\<b\\>** [ok](x.md)" and isinstance(out, Md)
    assert isinstance(Md.trusted("a") + "<", Md) and Md.trusted("a") + "<" == "a\\<"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://www.facebook.com/help/contact/712876720715583",
            "https://www.facebook.com/help/contact/712876720715583",
        ),
        (
            "https://help.instagram.com/contact/1?entry_point=x y",
            "https://help.instagram.com/contact/1?entry_point=x%20y",
        ),
        ("https://help.meta.com/support/privacy/(x)", "https://help.meta.com/support/privacy/%28x%29"),
        ("javascript:alert(1)", None),
        ("http://www.facebook.com/help", None),
        ("https://evil.example/facebook.com", None),
        ("https://facebook.com.evil.example/", None),
        ("https://www.facebook.com@evil.example/", None),
        ("https://user:pw@www.facebook.com/", None),
        ("https://www.facebook.com:8443/", None),
        ("", None),
        (None, None),
    ],
)
def test_md_url_accepts_only_https_on_the_given_domains(url: str | None, expected: str | None) -> None:
    assert md_url(url, ["facebook.com", "instagram.com", "meta.com"]) == expected


def test_md_relative_refuses_anything_but_a_plain_relative_path() -> None:
    assert (
        md_relative("../images/facebook/en/desktop/object-link.png") == "../images/facebook/en/desktop/object-link.png"
    )
    for bad in ("https://x", "/abs", "a b", "javascript:x", "a)b", "//host/x"):
        with pytest.raises(ValueError):
            md_relative(bad)
