"""Verdicts: one per step, as a careful reader would give them, and never a wolf cried over noise."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from monitor import store
from monitor.config import Thresholds
from monitor.judge import compare, groups
from monitor.model import (
    VERDICT_PRECEDENCE,
    BlockReason,
    Box,
    Category,
    Hop,
    Images,
    Observation,
    RunInfo,
    Status,
    Target,
    Verdict,
    Walk,
)
from tests.pngs import png

T = Thresholds()
FORM = "https://www.facebook.com/help/contact/712876720715583"
CONTEXT = ["main", 'region "Privacy Center notice"']
SENTENCE = (
    "You have the right to object to how we use your information for these purposes. "
    "If your objection is honoured, it will be applied from then on."
)
ARIA = '- region "Privacy Center notice":\n  - paragraph: You have the right to object\n  - link "object"'
RUN = RunInfo(started="2026-01-01T00:00:00+00:00", finished="2026-01-01T00:00:09+00:00", seconds=9, config="m.yaml")


def bits(n: int) -> str:
    """A 64-bit hex hash that differs from all zeros in n bits."""
    return f"{(1 << n) - 1:016x}"


def observation(
    step: str = "object",
    *,
    index: int = 1,
    journey: str = "fb-notice",
    locale: str = "en",
    viewport: str = "desktop",
    status: Status = Status.OK,
    target: bool = True,
    images: bool = True,
    page_bits: int = 0,
    target_bits: int = 0,
    **changes: Any,
) -> Observation:
    """An observation of the tracked "object" link; keyword arguments override Target or Observation fields."""
    target_fields = {
        "role": "link",
        "name": "object",
        "text": "object",
        "matched": "object",
        "href": FORM,
        "leads_to": FORM,
        "box": Box(x=412, y=230, width=44, height=18),
        "context": CONTEXT,
        "sentence": SENTENCE,
        "aria": ARIA,
        "also": [],
        "shown": None,
    }
    obs_fields: dict[str, Any] = {}
    for key, value in changes.items():
        if key in target_fields:
            target_fields[key] = value
        else:
            obs_fields[key] = value
    return Observation(
        journey=journey,
        site="facebook",
        locale=locale,
        viewport=viewport,
        step=step,
        index=index,
        action=obs_fields.pop("action", "click"),
        tracked=step == "object",
        status=status,
        url=obs_fields.pop("url", "https://www.facebook.com/privacy/center/"),
        title=obs_fields.pop("title", "Privacy Center"),
        target=Target(**target_fields) if target else None,
        images=Images(
            page=f"{step}.page.png",
            page_phash=bits(page_bits),
            page_dhash=bits(0),
            target=f"{step}.target.png" if target else None,
            target_phash=bits(target_bits) if target else None,
            target_dhash=bits(0) if target else None,
        )
        if images
        else None,
        **obs_fields,
    )


def verdict(baseline: Observation | None, current: Observation | None) -> Verdict:
    return compare.compare_step(baseline, current, T).verdict


# --------------------------------------------------------------------------- nothing to do


def test_identical_observations_are_unchanged() -> None:
    change = compare.compare_step(observation(), observation(), T)
    assert change.verdict is Verdict.UNCHANGED
    assert change.category is Category.NOTHING
    assert change.evidence.findings == []
    assert change.tracked is True


def test_hash_noise_up_to_the_thresholds_is_unchanged() -> None:
    current = observation(page_bits=T.page_hash, target_bits=T.target_hash)
    change = compare.compare_step(observation(), current, T)
    assert change.verdict is Verdict.UNCHANGED
    assert (change.evidence.page_hash, change.evidence.target_hash) == (T.page_hash, T.target_hash)


@pytest.mark.parametrize(("page_bits", "target_bits"), [(T.page_hash + 1, 0), (0, T.target_hash + 1)])
def test_hash_distance_over_a_threshold_is_cosmetic(page_bits: int, target_bits: int) -> None:
    change = compare.compare_step(observation(), observation(page_bits=page_bits, target_bits=target_bits), T)
    assert change.verdict is Verdict.COSMETIC
    assert "looks different" in change.summary


def test_case_only_name_change_is_cosmetic() -> None:
    change = compare.compare_step(observation(), observation(name="Object", text="Object"), T)
    assert change.verdict is Verdict.COSMETIC
    assert change.evidence.name is not None and change.evidence.name.new == "Object"
    assert any("case only" in f.detail for f in change.evidence.findings)


def test_spacing_and_typographic_quotes_in_the_name_are_not_a_change() -> None:
    base = observation(name="don't object", text="don't object")
    current = observation(name="don’t  object", text="don’t  object")
    assert verdict(base, current) is Verdict.UNCHANGED


def test_geometry_shift_in_the_same_section_is_cosmetic() -> None:
    change = compare.compare_step(observation(), observation(box=Box(x=412, y=290, width=44, height=18)), T)
    assert change.verdict is Verdict.COSMETIC
    assert change.evidence.box is not None and change.evidence.box.shift == 60


def test_a_few_pixels_of_rendering_noise_in_the_box_are_unchanged() -> None:
    assert verdict(observation(), observation(box=Box(x=413, y=232, width=45, height=18))) is Verdict.UNCHANGED


def test_a_new_date_in_the_sentence_is_cosmetic() -> None:
    base = observation(sentence="Since 27 May 2025 you have the right to object to how we use your information for AI.")
    current = observation(
        sentence="Since 14 June 2026 you have the right to object to how we use your information for AI."
    )
    change = compare.compare_step(base, current, T)
    assert change.verdict is Verdict.COSMETIC
    assert change.evidence.sentence_similarity is not None
    assert change.evidence.sentence_similarity >= compare.SENTENCE_SIMILARITY


def test_query_only_change_of_the_destination_is_cosmetic() -> None:
    current = observation(leads_to=FORM + "?entry_point=privacy_center")
    change = compare.compare_step(observation(), current, T)
    assert change.verdict is Verdict.COSMETIC
    assert change.evidence.leads_to is not None and change.evidence.leads_to.new == FORM + "?entry_point=privacy_center"


def test_trailing_slash_and_www_do_not_retarget() -> None:
    current = observation(leads_to="https://facebook.com/help/contact/712876720715583/")
    assert verdict(observation(), current) is Verdict.COSMETIC


def test_lightly_edited_section_name_is_cosmetic_not_moved() -> None:
    current = observation(context=["main", 'region "Privacy Centre notice"'])
    assert verdict(observation(), current) is Verdict.COSMETIC


def test_aria_snapshot_change_alone_is_cosmetic_with_a_unified_diff() -> None:
    current = observation(aria=ARIA.replace("paragraph: You", "paragraph: Today you"))
    change = compare.compare_step(observation(), current, T)
    assert change.verdict is Verdict.COSMETIC
    assert change.evidence.aria_diff[:2] == ["--- baseline", "+++ current"]
    assert any(line.startswith("+  - paragraph: Today") for line in change.evidence.aria_diff)


def test_no_baseline_is_new() -> None:
    change = compare.compare_step(None, observation(), T)
    assert change.verdict is Verdict.NEW
    assert change.category is Category.NOTHING


def test_skipped_in_both_compares_as_unchanged() -> None:
    base = observation("send", status=Status.SKIPPED, target=False, images=False)
    current = observation("send", status=Status.SKIPPED, target=False, images=False)
    assert verdict(base, current) is Verdict.UNCHANGED


def test_not_walked_after_an_earlier_stop_is_skipped() -> None:
    current = observation(
        "form", status=Status.SKIPPED, target=False, images=False, error="not walked: stopped at step 'object'"
    )
    change = compare.compare_step(observation("form"), current, T)
    assert change.verdict is Verdict.SKIPPED
    assert change.category is Category.NOTHING
    assert "stopped at step 'object'" in change.summary


def test_not_walked_on_a_first_run_is_skipped() -> None:
    current = observation("form", status=Status.SKIPPED, target=False, images=False)
    assert verdict(None, current) is Verdict.SKIPPED


def test_a_submit_step_skipped_in_both_still_compares_its_target() -> None:
    base = observation("send", status=Status.SKIPPED, name="Send", text="Send")
    current = observation("send", status=Status.SKIPPED, name="Submit", text="Submit")
    assert verdict(base, current) is Verdict.REWORDED


# --------------------------------------------------------------------------- the instructions need an update


def test_new_words_are_reworded_with_a_summary_and_a_wording_diff() -> None:
    change = compare.compare_step(observation(), observation(name="Oppose", text="Oppose"), T)
    assert change.verdict is Verdict.REWORDED
    assert change.category is Category.UPDATE
    assert change.summary == '"object" → "Oppose" (Privacy Center notice)'
    assert change.evidence.wording == [(-1, "object"), (1, "Oppose")]
    assert change.evidence.name is not None and (change.evidence.name.old, change.evidence.name.new) == (
        "object",
        "Oppose",
    )


def test_a_link_that_became_a_button_is_reworded() -> None:
    change = compare.compare_step(observation(), observation(role="button"), T)
    assert change.verdict is Verdict.REWORDED
    assert change.evidence.role is not None and change.evidence.role.new == "button"
    assert "is now a button" in change.summary


def test_a_rewritten_sentence_around_the_same_word_is_reworded() -> None:
    current = observation(
        sentence="To stop us using what you share to train our models, object here before the deadline."
    )
    change = compare.compare_step(observation(), current, T)
    assert change.verdict is Verdict.REWORDED
    assert change.evidence.sentence_similarity is not None
    assert change.evidence.sentence_similarity < compare.SENTENCE_SIMILARITY
    assert {op for op, _ in change.evidence.sentence_diff} == {-1, 0, 1}


def test_another_section_is_moved() -> None:
    current = observation(context=["main", 'region "Privacy topics"', 'h2 "Generative AI"'])
    change = compare.compare_step(observation(), current, T)
    assert change.verdict is Verdict.MOVED
    assert change.evidence.context is not None and change.evidence.context.old == CONTEXT
    assert change.summary == '"object" moved: Privacy Center notice → Privacy topics › Generative AI'


def test_another_path_is_retargeted() -> None:
    current = observation(leads_to="https://www.facebook.com/help/contact/6359191084165019")
    change = compare.compare_step(observation(), current, T)
    assert change.verdict is Verdict.RETARGETED
    assert "facebook.com/help/contact/6359191084165019" in change.summary


def test_another_host_is_retargeted() -> None:
    current = observation(leads_to="https://help.instagram.com/help/contact/712876720715583")
    assert verdict(observation(), current) is Verdict.RETARGETED


def test_a_target_that_no_longer_leads_anywhere_is_retargeted() -> None:
    assert verdict(observation(), observation(leads_to=None)) is Verdict.RETARGETED


def test_a_hop_is_step_added_and_says_via_which_element_and_page() -> None:
    hop = Hop(role="link", name="Learn more", url="https://www.facebook.com/privacy/genai/")
    change = compare.compare_step(observation(), observation(found_by="hop", hop=hop), T)
    assert change.verdict is Verdict.STEP_ADDED
    assert change.evidence.hop == hop
    assert 'link "Learn more"' in change.summary and "privacy/genai" in change.summary


def test_a_change_whose_words_did_not_change_is_named_by_the_words_people_see_not_the_steps_key() -> None:
    """A PR once said "an extra click is needed before the “ai at meta” step": the step's key, because
    the evidence carried the target's words only when they changed."""
    hop = Hop(role="link", name="Privacy Centre", url="https://www.facebook.com/privacy/center/")
    card = {"name": "AI at Meta", "text": "AI at Meta How we use information", "shown": "AI at Meta How we use…"}
    added = compare.compare_step(
        observation("ai-at-meta", **card), observation("ai-at-meta", found_by="hop", hop=hop, **card), T
    )
    moved = compare.compare_step(
        observation("ai-at-meta", role="button", **card),
        observation("ai-at-meta", role="button", leads_to="https://www.facebook.com/elsewhere", **card),
        T,
    )
    assert added.verdict is Verdict.STEP_ADDED and moved.verdict is Verdict.RETARGETED
    assert (added.evidence.label, added.evidence.label_role) == ("AI at Meta", "link")
    [group] = groups.of_changes([added])
    assert groups.subject(group) == "the “AI at Meta” link"
    assert "before the “AI at Meta” link" in group.headline and "ai at meta" not in group.sentence
    [group] = groups.of_changes([moved])
    assert group.headline == "Facebook: the “AI at Meta” button now leads somewhere else"


def test_the_same_hop_as_an_accepted_baseline_is_not_added_again() -> None:
    hop = Hop(role="link", name="Learn more", url="https://www.facebook.com/privacy/genai/")
    base = observation(found_by="hop", hop=hop)
    change = compare.compare_step(base, observation(found_by="hop", hop=hop), T)
    assert change.verdict is Verdict.UNCHANGED
    assert any("as in the baseline" in n for n in change.evidence.notes)


def test_missing_but_superseded_is_step_removed() -> None:
    current = observation("object", status=Status.MISSING, target=False, superseded_by="form")
    change = compare.compare_step(observation(), current, T)
    assert change.verdict is Verdict.STEP_REMOVED
    assert change.category is Category.UPDATE
    assert change.evidence.superseded_by == "form"


def test_found_again_by_search_says_so_and_takes_the_verdict_from_the_evidence() -> None:
    current = observation(found_by="search", name="Oppose", text="Oppose", matched="")
    change = compare.compare_step(observation(), current, T)
    assert change.verdict is Verdict.REWORDED
    assert "found again by search" in change.summary
    assert any(n.startswith("found again by search") for n in change.evidence.notes)


# --------------------------------------------------------------------------- a human is needed


def test_missing_without_superseded_is_target_gone() -> None:
    current = observation(status=Status.MISSING, target=False, error="no link named 'object' on https://x")
    change = compare.compare_step(observation(), current, T)
    assert change.verdict is Verdict.TARGET_GONE
    assert change.category is Category.HUMAN
    assert change.summary.startswith('link "object" is gone')


@pytest.mark.parametrize("reason", list(BlockReason))
def test_blocked_is_blocked_and_not_a_ui_change(reason: BlockReason) -> None:
    current = observation(status=Status.BLOCKED, target=False, reason=reason, error="the wall", page_bits=40)
    change = compare.compare_step(observation(), current, T)
    assert change.verdict is Verdict.BLOCKED
    assert change.category is Category.HUMAN
    assert change.evidence.reason is reason
    assert "not a UI change" in change.summary


def test_blocked_on_a_first_run_is_still_blocked() -> None:
    current = observation(status=Status.BLOCKED, target=False, reason=BlockReason.LOGIN)
    assert verdict(None, current) is Verdict.BLOCKED


# --------------------------------------------------------------------------- precedence


def test_precedence_is_the_documented_order() -> None:
    assert VERDICT_PRECEDENCE[:9] == (
        Verdict.BLOCKED,
        Verdict.TARGET_GONE,
        Verdict.STEP_REMOVED,
        Verdict.STEP_ADDED,
        Verdict.APPEARED,
        Verdict.RETARGETED,
        Verdict.MOVED,
        Verdict.REWORDED,
        Verdict.COSMETIC,
    )


def test_the_strongest_verdict_wins_and_every_finding_is_kept() -> None:
    everything = dict(
        name="Oppose",
        text="Oppose",
        context=["main", 'region "Settings"'],
        leads_to="https://www.facebook.com/help/contact/1",
        target_bits=30,
    )
    change = compare.compare_step(observation(), observation(**everything), T)
    assert change.verdict is Verdict.RETARGETED
    assert [f.verdict for f in change.evidence.findings][:3] == [Verdict.RETARGETED, Verdict.MOVED, Verdict.REWORDED]
    assert Verdict.COSMETIC in {f.verdict for f in change.evidence.findings}
    assert change.evidence.name is not None and change.evidence.context is not None

    del everything["leads_to"]
    assert verdict(observation(), observation(**everything)) is Verdict.MOVED
    del everything["context"]
    assert verdict(observation(), observation(**everything)) is Verdict.REWORDED


def test_step_added_beats_moved_a_hop_elsewhere_is_target_gone_and_blocked_beats_both() -> None:
    hop = Hop(role="link", name="More", url="https://www.facebook.com/x")
    added = observation(found_by="hop", hop=hop, context=["main", 'region "Settings"'])
    assert verdict(observation(), added) is Verdict.STEP_ADDED
    # the same word one click away, leading somewhere else, is a candidate for a human, not a new step
    elsewhere = observation(found_by="hop", hop=hop, leads_to="https://www.facebook.com/elsewhere")
    assert verdict(observation(), elsewhere) is Verdict.TARGET_GONE
    blocked = observation(found_by="hop", hop=hop, status=Status.BLOCKED, target=False, reason=BlockReason.TIMEOUT)
    assert verdict(observation(), blocked) is Verdict.BLOCKED


def test_every_verdict_has_a_category_with_its_exit_code() -> None:
    assert {v.category for v in Verdict} == set(Category)
    assert {c: c.exit_code for c in Category} == {Category.NOTHING: 0, Category.UPDATE: 1, Category.HUMAN: 3}


def test_compare_step_needs_at_least_one_observation() -> None:
    with pytest.raises(ValueError, match="both are None"):
        compare.compare_step(None, None, T)


def test_a_step_gone_from_the_walk_is_step_removed() -> None:
    assert verdict(observation(), None) is Verdict.STEP_REMOVED


# --------------------------------------------------------------------------- whole runs


def walk(*observations: Observation, journey: str = "fb-notice", locale: str = "en", viewport: str = "desktop") -> Walk:
    return Walk(journey=journey, site="facebook", locale=locale, viewport=viewport, observations=list(observations))


def baseline_tree(root: Path, *walks: Walk) -> store.Tree:
    for w in walks:
        images = {}
        for o in w.observations:
            if o.images is not None:
                images[o.images.page] = png(o.images.page)
                if o.images.target:
                    images[o.images.target] = png(o.images.target)
        store.save_walk(root, w, images)
    return store.read_tree(root)


def steps(**kwargs: Any) -> list[Observation]:
    return [
        observation("open", index=0, target=False, **kwargs),
        observation("object", index=1, **kwargs),
        observation("form", index=2, **kwargs),
    ]


def test_compare_run_compares_only_the_given_combos(tmp_path: Path) -> None:
    tree = baseline_tree(tmp_path, walk(*steps()), walk(*steps(locale="fr"), locale="fr"))
    report = compare.compare_run(tree, [walk(*steps())], T, RUN)
    assert {c.combo for c in report.changes} == {"fb-notice/en/desktop"}
    assert [c.step for c in report.changes] == ["open", "object", "form"]
    assert report.counts[Verdict.UNCHANGED] == 3
    assert (report.outcome, report.exit_code) == (Category.NOTHING, 0)


def test_a_step_only_the_baseline_has_is_step_removed(tmp_path: Path) -> None:
    tree = baseline_tree(tmp_path, walk(*steps()))
    current = [o for o in steps() if o.step != "object"]
    report = compare.compare_run(tree, [walk(*current)], T, RUN)
    removed = [c for c in report.changes if c.step == "object"]
    assert [c.verdict for c in removed] == [Verdict.STEP_REMOVED]
    assert (report.outcome, report.exit_code) == (Category.UPDATE, 1)


def test_a_step_only_the_baseline_has_after_a_block_is_skipped_not_removed(tmp_path: Path) -> None:
    tree = baseline_tree(tmp_path, walk(*steps()))
    blocked = observation("open", index=0, target=False, status=Status.BLOCKED, reason=BlockReason.LOGIN)
    report = compare.compare_run(tree, [walk(blocked)], T, RUN)
    assert {c.step: c.verdict for c in report.changes} == {
        "open": Verdict.BLOCKED,
        "object": Verdict.SKIPPED,
        "form": Verdict.SKIPPED,
    }
    assert (report.outcome, report.exit_code) == (Category.HUMAN, 3)


def test_a_first_run_is_all_new_and_nothing_to_do(tmp_path: Path) -> None:
    report = compare.compare_run(store.read_tree(tmp_path / "none"), [walk(*steps())], T, RUN)
    assert {c.verdict for c in report.changes} == {Verdict.NEW}
    assert report.exit_code == 0


def test_an_unreadable_baseline_file_is_a_named_problem_not_a_crash_nor_a_change(tmp_path: Path) -> None:
    tree_root = tmp_path / "snapshots"
    baseline_tree(tree_root, walk(*steps()))
    broken = tree_root / "fb-notice" / "en" / "desktop" / "object.json"
    broken.write_text("{ not json")
    tree = store.read_tree(tree_root)
    report = compare.compare_run(tree, [walk(*steps())], T, RUN)
    assert [p.path for p in report.problems] == [str(broken)]
    problem = report.problems[0]
    assert problem.key == "fb-notice/en/desktop/object"
    assert f"optout-monitor accept RUN --snapshots {tree_root}" in problem.fix
    by_step = {c.step: c for c in report.changes}
    assert by_step["open"].verdict is Verdict.UNCHANGED and by_step["form"].verdict is Verdict.UNCHANGED
    assert "unreadable" in by_step["object"].summary
    assert (report.outcome, report.exit_code) == (Category.HUMAN, 3)


def test_a_baseline_missing_its_image_is_a_named_problem(tmp_path: Path) -> None:
    tree = baseline_tree(tmp_path, walk(*steps()))
    gone = tmp_path / "fb-notice" / "en" / "desktop" / "object.target.png"
    gone.unlink()
    report = compare.compare_run(tree, [walk(*steps())], T, RUN)
    assert [p.path for p in report.problems] == [str(gone)]
    assert "object.json names it" in report.problems[0].message
    assert {c.verdict for c in report.changes} == {Verdict.UNCHANGED}


def test_a_broken_file_of_another_shard_is_left_to_that_shard(tmp_path: Path) -> None:
    baseline_tree(tmp_path, walk(*steps()), walk(*steps(locale="fr"), locale="fr"))
    (tmp_path / "fb-notice" / "fr" / "desktop" / "form.json").write_text("[]")
    report = compare.compare_run(store.read_tree(tmp_path), [walk(*steps())], T, RUN)
    assert report.problems == []
    assert report.exit_code == 0


def test_the_text_beside_an_untracked_menu_button_is_not_its_wording() -> None:
    base = observation("account-menu", sentence="Jane Example 3 notifications")
    current = observation("account-menu", sentence="Marketplace Watch Groups")
    assert not base.tracked
    assert verdict(base, current) is Verdict.COSMETIC


def test_the_cookie_dialog_moving_to_a_bottom_sheet_is_cosmetic() -> None:
    base = observation("consent", context=['dialog "Allow cookies?"'], action="consent")
    current = observation("consent", context=["main", 'region "Cookies"'], action="consent")
    change = compare.compare_step(base, current, T)
    assert change.verdict is Verdict.COSMETIC
    assert "cookie dialog" in change.summary


def test_the_tracked_link_changing_section_is_moved() -> None:
    current = observation(context=["main", 'region "Generative AI"', 'h2 "Generative AI"'])
    assert verdict(observation(), current) is Verdict.MOVED


def test_a_counter_inside_a_button_is_not_its_wording() -> None:
    base = observation("menu", name="Menu", text="")
    current = observation("menu", name="Menu", text="7")
    assert verdict(base, current) is Verdict.COSMETIC
    assert verdict(
        observation("menu", name="Notifications, 3 new"), observation("menu", name="Notifications, 12 new")
    ) is (Verdict.COSMETIC)
    assert verdict(observation("menu", name="Menu"), observation("menu", name="Menu 2")) is Verdict.COSMETIC
    assert verdict(observation("menu", name="Menu"), observation("menu", name="Options")) is Verdict.REWORDED


def test_a_second_element_with_the_targets_name_leading_elsewhere_is_news_naming_both() -> None:
    decoy = "https://www.facebook.com/help/contact/1111111111"
    change = compare.compare_step(observation(), observation(also=[decoy]), T)
    assert change.verdict is Verdict.RETARGETED
    detail = change.evidence.findings[0].detail
    assert "two elements are named like link" in detail and "1111111111" in detail and "712876720715583" in detail
    # the same pair, accepted as it is, is no longer news
    assert verdict(observation(also=[decoy]), observation(also=[decoy])) is Verdict.UNCHANGED
