"""Pages nobody here wrote: invisible characters, hops judged by destination, doubtful baselines.

Pure functions only (no browser); the walks through the mutation proxy are in test_faults.py.
"""

from __future__ import annotations

import re
from pathlib import Path

from monitor import compare, locate, normalize, store
from monitor.config import Thresholds
from monitor.model import Hop, Observation, Status, Target, Verdict, Walk

from .test_store import run_with

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
