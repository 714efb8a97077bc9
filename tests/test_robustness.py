"""Pages nobody here wrote: invisible characters, hops judged by destination, doubtful baselines.

Pure functions only (no browser); the walks through the mutation proxy are in test_faults.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from monitor import config, store
from monitor.config import Thresholds
from monitor.judge import compare, normalize
from monitor.model import Hop, Observation, Status, Target, Verdict, Walk
from monitor.walk import locate

from .test_store import run_with

ROOT = Path(__file__).resolve().parent.parent
FORM = "https://www.facebook.com/help/contact/712876720715583"


def observed(name: str = "object", leads_to: str | None = FORM, **extra: object) -> Observation:
    target = Target(
        role=str(extra.pop("role", "link")),
        name=name,
        text=name,
        matched="object",
        href=leads_to,
        leads_to=leads_to,
        context=["main", 'h2 "Your rights"'],
        sentence=f"You have the right to {name} to the use of your information.",
    )
    return Observation(
        journey="j",
        site="facebook",
        locale="en",
        viewport="desktop",
        step="object-link",
        index=2,
        action="observe",
        tracked=True,
        status=Status.OK,
        url="https://www.facebook.com/privacy/genai/",
        title="Generative AI",
        target=target,
        **extra,  # type: ignore[arg-type]
    )


def test_invisible_characters_and_unicode_forms_normalise_to_the_plain_word() -> None:
    for raw in (
        "ob\u00adject",
        "obj\u200bect",
        "\ufeffob\u200dject",
        "\u00a0object\u2009",
        "\uff4f\uff42\uff4a\uff45\uff43\uff54",
    ):
        assert normalize.text(raw) == "object", repr(raw)
    assert normalize.text("opt  out") == "opt out" != normalize.text("object")


def test_a_soft_hyphen_in_the_link_is_not_rewording_and_the_raw_name_is_kept_as_evidence() -> None:
    change = compare.compare_step(observed("object"), observed("ob\u00adject"), Thresholds())
    assert change.verdict is Verdict.UNCHANGED, change.summary
    assert change.evidence.name is not None and change.evidence.name.new == "ob\u00adject"


def test_a_real_rewording_is_still_reworded_after_normalising() -> None:
    change = compare.compare_step(observed("object"), observed("opt\u00a0out"), Thresholds())
    assert change.verdict is Verdict.REWORDED


def test_the_locator_pattern_reads_through_invisible_characters_but_not_other_words() -> None:
    pattern = re.compile(locate.name_pattern("object").pattern, re.IGNORECASE)
    assert pattern.match("ob\u00adject") and pattern.match("\u200bobject ") and pattern.match("OBJECT")
    assert not pattern.match("object to") and not pattern.match("objects")
    both = re.compile(locate.any_pattern(["right to object", "object"]).pattern, re.IGNORECASE)
    assert both.match("right\u00a0to ob\u00adject") and not both.match("right to")


def hopped(leads_to: str) -> Observation:
    hop = Hop(role="link", name="How do we use your information?", url="https://www.facebook.com/privacy/decoy/")
    return observed("object", leads_to, found_by="hop", hop=hop)


def test_a_hop_to_a_link_that_leads_elsewhere_is_target_gone_with_the_candidate_shown() -> None:
    change = compare.compare_step(observed(), hopped("https://www.facebook.com/help/contact/1111111111"), Thresholds())
    assert change.verdict is Verdict.TARGET_GONE
    detail = change.evidence.findings[0].detail
    assert "How do we use your information?" in detail and "1111111111" in detail and "by name only" in detail


def test_a_hop_to_a_link_that_leads_to_the_same_form_is_a_step_added() -> None:
    change = compare.compare_step(observed(), hopped(FORM + "?ref=policy"), Thresholds())
    assert change.verdict is Verdict.STEP_ADDED


def test_a_hop_with_no_accepted_target_to_confirm_it_is_not_taken_as_the_target() -> None:
    change = compare.compare_step(None, hopped(FORM), Thresholds())
    assert change.verdict is Verdict.TARGET_GONE
    assert "no accepted target to confirm it" in change.evidence.findings[0].detail


def walk_of(*observations: Observation) -> Walk:
    return Walk(journey="j", site="facebook", locale="en", viewport="desktop", observations=list(observations))


def test_a_link_to_nowhere_is_clicked_in_place_and_a_link_to_a_section_or_page_is_not() -> None:
    here = "https://www.facebook.com/privacy/genai/"
    assert locate.stays_here(here + "#", here)  # <a href="#">Read more</a>: the page's script acts
    assert locate.stays_here(here + "#!", here + "#top")
    assert locate.stays_here("javascript:void(0)", here)
    assert not locate.stays_here(here + "#your-rights", here)  # a table of contents entry scrolls
    assert not locate.stays_here("https://www.facebook.com/privacy/policy/", here)


def test_accept_refuses_a_target_without_role_or_name_unless_a_person_says_so(tmp_path: Path) -> None:
    garbage = observed("", None, role="", found_by="search", error="found again by search (score 0.61)")
    run = run_with(tmp_path / "1", [walk_of(garbage)])
    refused = store.accept(run, tmp_path / "snaps")
    assert refused.walks == [] and refused.kept == ["j/en/desktop"]
    assert any("no role and accessible name" in d for d in refused.doubtful)
    assert any("score 0.61" in d for d in refused.doubtful)
    assert not (tmp_path / "snaps" / "j").exists()
    forced = store.accept(run, tmp_path / "snaps", accept_doubtful=True)
    assert forced.walks == ["j/en/desktop"] and forced.doubtful == []


def test_accept_takes_a_target_found_by_a_confident_search(tmp_path: Path) -> None:
    sure = observed("object", found_by="search", error="found again by search (score 0.93)")
    result = store.accept(run_with(tmp_path / "1", [walk_of(sure)]), tmp_path / "snaps")
    assert result.walks == ["j/en/desktop"] and result.doubtful == []


def test_prefix_and_word_matching_accept_meta_s_longer_link_and_say_how() -> None:
    prefix = re.compile(locate.name_pattern("right to object", "prefix").pattern, re.IGNORECASE)
    assert prefix.match("right to object to") and prefix.match("Right to ob\u00adject")
    assert not prefix.match("the right to object") and not prefix.match("right to objection")
    words = re.compile(locate.name_pattern("object", "words").pattern, re.IGNORECASE)
    assert words.search("You can object here") and not words.search("objective")
    whole = re.compile(locate.name_pattern("right to object").pattern, re.IGNORECASE)
    assert not whole.match("right to object to")


def test_a_target_spec_matches_whole_names_unless_the_journey_file_says_otherwise() -> None:
    cfg = config.load(ROOT / "monitor.yaml")
    assert {s.target.match for j in cfg.journeys for s in j.steps if s.target is not None} == {"whole"}
    spec = config.TargetSpec.model_validate({"role": "link", "name": {"en": ["right to object"]}, "match": "prefix"})
    assert spec.match == "prefix"


def test_a_journey_file_includes_another_and_adds_a_page_without_copying(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "base.yaml").write_text((ROOT / "monitor.yaml").read_text(encoding="utf-8"))
    fork = tmp_path / "fork.yaml"
    fork.write_text(
        "include: sub/base.yaml\n"
        "timeouts: {target_ms: 9000}\n"
        "journeys:\n"
        "  - id: facebook-terms\n"
        "    site: facebook\n"
        "    steps:\n"
        "      - {id: terms, goto: 'https://www.facebook.com/legal/ai-terms'}\n"
        "  - id: facebook-genai\n"
        "    site: facebook\n"
        "    steps:\n"
        "      - {id: genai, goto: 'https://www.facebook.com/privacy/genai/'}\n"
    )
    base = config.load(ROOT / "monitor.yaml")
    merged = config.load(fork)
    ids = [j.id for j in merged.journeys]
    assert ids == [*[j.id for j in base.journeys], "facebook-terms"]
    assert [s.id for s in merged.journey("facebook-genai").steps] == ["genai"]  # replaced by id
    assert merged.timeouts.target_ms == 9000 and merged.timeouts.navigation_ms == base.timeouts.navigation_ms
    assert merged.sites == base.sites and merged.masks == base.masks


def test_an_include_cycle_or_a_missing_include_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("include: b.yaml\nversion: 1\n")
    (tmp_path / "b.yaml").write_text("include: [a.yaml]\n")
    with pytest.raises(config.ConfigError, match="include cycle"):
        config.load(tmp_path / "a.yaml")
    (tmp_path / "c.yaml").write_text("include: nowhere.yaml\n")
    with pytest.raises(config.ConfigError, match=re.escape("'nowhere.yaml': no such file")):
        config.load(tmp_path / "c.yaml")


def test_an_absent_target_is_accepted_as_a_state_and_its_return_is_appeared(tmp_path: Path) -> None:
    absent = observed().model_copy(update={"status": Status.MISSING, "target": None, "error": "no link named 'object'"})
    result = store.accept(run_with(tmp_path / "1", [walk_of(absent)]), tmp_path / "snaps")
    assert result.walks == ["j/en/desktop"] and result.absent == ["j/en/desktop: object-link"]
    accepted = store.read_tree(tmp_path / "snaps").observations[absent.key]
    change = compare.compare_step(accepted, observed(), Thresholds())
    assert change.verdict is Verdict.APPEARED and change.category.value == "update"
    assert "appeared" in change.summary and "help/contact/712876720715583" in change.summary
    still_absent = compare.compare_step(accepted, absent, Thresholds())
    assert still_absent.verdict is Verdict.UNCHANGED  # the accepted state: not news
    assert "absent, as in the accepted baseline" in still_absent.evidence.notes[0]


def test_a_blocked_walk_is_still_never_accepted(tmp_path: Path) -> None:
    blocked = observed().model_copy(update={"status": Status.BLOCKED, "target": None})
    result = store.accept(run_with(tmp_path / "1", [walk_of(blocked)]), tmp_path / "snaps")
    assert result.walks == [] and result.kept == ["j/en/desktop"]
