"""Which languages get an instruction page: every locale the journey file walks, and every language
that has only got as far as a catalog or a learned label set.

A language goes through four states, each one a file and no Python (README, "Adding a language"):
a catalog (`monitor/locales/LL/LC_MESSAGES/messages.po`): its page exists, in its language, and
says the words on screen are not yet known (labels.py, "missing"); a learned label set
(`labels/LL.yaml`, "unreviewed"): the page quotes the learned words as learned; reviewed, or names
in the journey file ("verified"): the page quotes them as documented; listed in `locales:`: it is
walked, and its page can say "checked". Only the last is walked: the others' pages never claim a check.
"""

from __future__ import annotations

from pathlib import Path

from monitor.config import Config
from monitor.write import catalogs


def page_locales(config: Config, catalog_root: Path = catalogs.LOCALES_DIR) -> list[str]:
    """The journey file's `locales:` in its order, then the languages with a catalog or a learned set
    that `locales:` does not list (a catalog "pt" counts as listed when "pt-BR" is), sorted."""
    listed = list(config.locales)
    covered = {catalogs.primary(loc) for loc in listed}
    extra = {loc for loc in catalogs.catalog_locales(catalog_root) if catalogs.primary(loc) not in covered}
    extra |= {loc for loc in config.label_sets if loc not in listed}
    return listed + sorted(extra)
