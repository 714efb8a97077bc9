"""check --learn-labels: labels read off the pages by place, role and destination, never guessed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from monitor import config, labelset
from monitor.cli import app
from monitor.replica.i18n import strings
from monitor.walk import learn
from monitor.walk.learnwalk import Outcome, learn_labels
from monitor.write import labels

from .conftest import ROOT, Replica

# Which replica string each step of the two logged-in journeys shows (keys, not values: the
# values are read from strings.json, so the test follows the replica's wording).
SHOWN = {
    "facebook-privacy-center": {
        "account-menu": "profile.label",
        "settings-and-privacy": "fb.settingsPrivacy",
        "privacy-center": "fb.privacyCenter",
        "object-link": "notice.p2.link",
        "form": "form.title",
        "send": "form.send",
        "confirmation": "form.done.title",
    },
    "instagram-privacy-center": {
        "more": "ig.more",
        "settings": "settings",
        "privacy-centre": "ig.privacyCentre",
        "ai-at-meta": "ig.aiAtMeta",
        "object-link": "notice.link.aria",
        "form": "form.title",
        "send": "form.send",
        "confirmation": "form.done.title",
    },
}
FORM = "https://www.facebook.com/help/contact/712876720715583"


def beside(tmp_path: Path) -> Path:
    """A copy of monitor.yaml in a scratch folder: labels/ is written next to it."""
    path = tmp_path / "monitor.yaml"
    shutil.copy(ROOT / "monitor.yaml", path)
    return path


def ref(**over: str | None) -> learn.Reference:
    base: dict[str, str | None] = dict(
        journey="j",
        step="object-link",
        viewport="desktop",
        locale="en",
        role="link",
        name="object",
        place="main[1] > region[0] > p[2]",
        landmarks="main > region",
        page="https://www.facebook.com/privacy/center/",
        href=FORM,
        leads_to=FORM,
    )
    base.update(over)
    return learn.Reference(**base)  # type: ignore[arg-type]


def cand(index: int, name: str, place: str = "main[1] > region[0] > p[2]", href: str | None = FORM) -> learn.Candidate:
    return learn.Candidate(index, "link", name, place, "main > region", href)


# ---- the choice, without a browser ---------------------------------------------------------


def test_the_one_element_of_the_role_at_the_reference_place_is_taken_whatever_its_words() -> None:
    picked = learn.choose(ref(), [cand(0, "Centrul", place="main[1] > p[0]"), cand(1, "vă opuneți")])
    assert isinstance(picked, learn.Pick) and picked.candidate.name == "vă opuneți" and picked.found_by == "place"


def test_two_links_in_one_paragraph_to_the_same_form_are_a_question_not_a_guess() -> None:
    asked = learn.choose(ref(), [cand(0, "vă opuneți"), cand(1, "să ne trimiteți formularul")])
    assert isinstance(asked, learn.Question)
    text = asked.describe()
    assert "'object-link'" in text and "'vă opuneți'" in text and "'să ne trimiteți formularul'" in text
    assert text.count(FORM) == 2 and "main[1] > region[0] > p[2]" in text


def test_where_a_link_leads_tells_two_links_of_one_paragraph_apart() -> None:
    picked = learn.choose(
        ref(), [cand(0, "politica", href="https://www.facebook.com/privacy/policy/"), cand(1, "opoziție")]
    )
    assert isinstance(picked, learn.Pick) and picked.candidate.name == "opoziție"


def test_a_moved_target_is_found_by_its_destination_in_the_same_landmarks() -> None:
    picked = learn.choose(ref(), [cand(0, "opoziție", place="main[1] > region[1] > p[0]")])
    assert isinstance(picked, learn.Pick) and picked.found_by == "destination"
    assert learn.choose(ref(href=None), [cand(0, "opoziție", place="main[1] > region[1] > p[0]")]) is None


# ---- the file: inert text, never overwritten once reviewed, used once reviewed ----------------


def learned_set(names: list[str], reviewed_by: str | None = None) -> labelset.LabelSet:
    evidence = labelset.Evidence(
        viewport="desktop", page=FORM, place="main[1] > h1[0]", stands_for="en: Send", leads_to=None
    )
    return labelset.LabelSet(
        locale="ro",
        browser_locale="ro-RO",
        reference="en",
        learned="2026-11-30",
        reviewed_by=reviewed_by,
        journeys={
            "facebook-privacy-center": {"send": labelset.Learned(role="button", names=names, evidence=[evidence])}
        },
    )


@pytest.mark.parametrize(
    "scraped",
    [
        '<img src=x onerror="alert(1)">',
        "**Trimiteți** [aici](javascript:alert(1))",
        "yes",
        "null",
        "- a",
        "{{ config }} & {% raw %}",
        "!!python/object:os.system",
    ],
)
def test_a_scraped_label_is_written_and_read_back_as_plain_text(scraped: str) -> None:
    text = labelset.dump(learned_set([scraped]))
    assert f"- {YAML_QUOTED(scraped)}" in text  # quoted in the file, whatever YAML could make of it
    data = YAML(typ="safe", pure=True).load(text)
    assert data["journeys"]["facebook-privacy-center"]["send"]["names"] == [scraped]
    assert labelset.parse(text, "ro.yaml").journeys["facebook-privacy-center"]["send"].names == [scraped]
    assert data["reviewed_by"] is None and "reviewed_by: null" in text


def YAML_QUOTED(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def test_a_reviewed_label_set_is_never_overwritten(tmp_path: Path) -> None:
    path = beside(tmp_path)
    target = labelset.path_for(path, "ro")
    target.parent.mkdir()
    target.write_text(labelset.dump(learned_set(["Trimiteți"], reviewed_by="A. Maintainer")), encoding="utf-8")
    before = target.read_bytes()
    result = CliRunner().invoke(app, ["check", "--learn-labels", "ro", "-c", str(path)])
    assert result.exit_code == 3, result.output
    assert "reviewed by A. Maintainer" in result.output and "never overwritten" in result.output
    assert target.read_bytes() == before


def test_a_reviewed_set_names_the_steps_and_an_unreviewed_one_only_says_so(tmp_path: Path) -> None:
    path = beside(tmp_path)
    target = labelset.path_for(path, "ro")
    target.parent.mkdir()
    target.write_text(labelset.dump(learned_set(["Trimiteți"])), encoding="utf-8")
    cfg = config.load(path)
    journey = cfg.journey("facebook-privacy-center")
    assert "ro" not in journey.steps[-2].target.name  # type: ignore[union-attr]
    assert labels.label_state(cfg, journey, "ro") == "unreviewed"
    assert labels.label_state(cfg, journey, "pl") == "missing"
    assert labels.label_state(cfg, journey, "it") == "verified"

    target.write_text(labelset.dump(learned_set(["Trimiteți"], reviewed_by="A. Maintainer")), encoding="utf-8")
    send = next(s for s in config.load(path).journey("facebook-privacy-center").steps if s.id == "send")
    assert send.target is not None and send.target.name["ro"] == ["Trimiteți"]
    assert send.target.name["en"] == ["Send"]  # the journey file's own names are untouched


# ---- on the replica: ro, whose labels nobody documented --------------------------------------


def learn_ro(path: Path, replica: Replica, journeys: list[str]) -> Outcome:
    """`check --learn-labels ro` on the desktop layout, through the function the CLI calls."""
    return learn_labels(
        config.load(path), path, "ro", replica.stand_ins, replica.states, journeys, ["desktop"], None, lambda _: None
    )


# One journey in a fully translated replica language, the other in one of the 17 partial ones
# (strings-eu.json): every language is learnable, and the suite does not grow with languages.
SAMPLED = {"facebook-privacy-center": ("ro", "facebook"), "instagram-privacy-center": ("pl", "instagram")}


def test_learned_labels_equal_what_the_replica_shows(tmp_path: Path, replica: Replica) -> None:
    path = beside(tmp_path)
    table = strings()
    for journey, (locale, site) in SAMPLED.items():
        outcome = learn_labels(
            config.load(path),
            path,
            locale,
            replica.stand_ins,
            replica.states,
            [journey],
            ["desktop"],
            None,
            lambda _: None,
        )
        assert outcome.questions == [] and outcome.written is not None, locale
        written = labelset.read(outcome.path)
        assert written.reviewed_by is None and written.locale == locale and written.reference == "en"
        learned = {s: found.names for s, found in written.journeys[journey].items()}
        assert learned == {s: [table[key][locale]] for s, key in SHOWN[journey].items()}, locale
        assert {name: found["consent"].names for name, found in written.sites.items()} == {
            site: [table["consent.decline"][locale]]
        }
    link = labelset.read(path.parent / "labels" / "ro.yaml").journeys["facebook-privacy-center"]["object-link"]
    assert link.evidence[0].leads_to == FORM and link.evidence[0].stands_for == "en: object"
    assert "region" in link.evidence[0].place and "Setări" not in link.evidence[0].place


def test_two_equally_good_candidates_stop_and_ask_and_nothing_is_written(tmp_path: Path, replica: Replica) -> None:
    path = beside(tmp_path)
    replica.set_variant("object-twice")
    try:
        outcome = learn_ro(path, replica, ["facebook-privacy-center"])
    finally:
        replica.set_variant("baseline-2025")
    table = strings()
    assert outcome.written is None and not outcome.path.exists()
    [question] = outcome.questions
    assert question.reference.step == "object-link"
    assert sorted(c.name for c in question.candidates) == sorted(
        [table["notice.p2.link"]["ro"], table["notice.again.link"]["ro"]]
    )


def test_check_without_out_or_learn_labels_names_the_missing_option(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["check", "-c", str(beside(tmp_path))])
    assert result.exit_code == 2 and "--out" in result.output


def test_a_malformed_locale_to_learn_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["check", "--learn-labels", "Romanian", "-c", str(beside(tmp_path))])
    assert result.exit_code == 2 and "'Romanian'" in result.output and "pt-BR" in result.output
    assert not (tmp_path / "labels").exists()


def test_a_run_that_learns_nothing_writes_nothing_and_says_where_it_stopped(tmp_path: Path) -> None:
    path = beside(tmp_path)
    closed = "http://127.0.0.1:9"  # nothing listens there: every page fails to load
    args = ["--site", f"facebook={closed}", "-j", "facebook-genai", "--viewport", "desktop", "-c", str(path)]
    result = CliRunner().invoke(app, ["check", "--learn-labels", "ro", *args])
    assert result.exit_code == 3, result.output
    assert "nothing was learned" in result.output and "facebook-genai, step 'genai'" in result.output
    assert not (tmp_path / "labels").exists()


def test_a_locale_listed_before_its_learned_labels_are_reviewed_says_so(tmp_path: Path) -> None:
    path = beside(tmp_path)
    path.write_text(path.read_text(encoding="utf-8").replace("  nl: nl-NL\n", "  nl: nl-NL\n  ro: ro-RO\n"))
    target = labelset.path_for(path, "ro")
    target.parent.mkdir()
    target.write_text(labelset.dump(learned_set(["Trimiteți"])), encoding="utf-8")
    with pytest.raises(config.ConfigError) as exc:
        config.load(path)
    assert "no names for locale(s) ro (labels/ro.yaml is learned but not reviewed: set reviewed_by)" in str(exc.value)
