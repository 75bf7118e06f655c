"""Every English catalog under projectize/ is complete: no empty translation, nothing fuzzy."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "projectize"
CATALOGS = sorted(ROOT.glob("**/locale/en/LC_MESSAGES/django.po"))


def entries(po: Path) -> list[str]:
    return [block for block in re.split(r"\n\s*\n", po.read_text(encoding="utf-8")) if "msgid" in block]


def is_header(block: str) -> bool:
    return bool(re.search(r'^msgid ""\nmsgstr ""\n"', block, re.MULTILINE))


def is_obsolete(block: str) -> bool:
    """An entry msgmerge kept as #~ lines (no longer in the code), with or without flag comments before it."""
    return not re.search(r"^msgid ", block, re.MULTILINE)


def untranslated(block: str) -> bool:
    """A msgstr (or msgstr[n]) that is empty and not continued on the next line."""
    return bool(re.search(r'^msgstr(\[\d+\])? ""\n(?!")', block + "\n", re.MULTILINE))


def test_there_are_catalogs_to_check():
    names = {po.relative_to(ROOT).parts[0] for po in CATALOGS}
    assert {"core", "orgs", "locale"} <= names


@pytest.mark.parametrize("po", CATALOGS, ids=lambda po: str(po.relative_to(ROOT)))
def test_the_catalog_is_complete(po):
    # The header is metadata, not a translation; obsolete (#~) entries are not used.
    blocks = [b for b in entries(po) if not is_obsolete(b) and not is_header(b)]
    fuzzy = [b for b in blocks if re.search(r"^#,.*\bfuzzy\b", b, re.MULTILINE)]
    empty = [b for b in blocks if untranslated(b)]
    assert not fuzzy, "fuzzy entries:\n\n" + "\n\n".join(fuzzy[:5])
    assert not empty, "untranslated entries:\n\n" + "\n\n".join(empty[:5])


def fields(block: str) -> dict[str, str]:
    """msgctxt, msgid and msgstr of an entry, with continuation lines joined."""
    found: dict[str, str] = {}
    key = ""
    for line in block.splitlines():
        keyword = re.match(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?) "(.*)"$', line)
        if keyword:
            key, found[keyword.group(1)] = keyword.group(1), keyword.group(2)
        elif line.startswith('"') and key:
            found[key] += line[1:-1]
    return found


def test_a_phrase_means_the_same_in_every_catalog():
    # Django merges the apps' catalogs and the first app wins: "类别" translated "Type" in one app
    # would turn "Category" into "Type" on another app's page.
    seen: dict[tuple[str, str], tuple[str, str]] = {}
    clashes = []
    for po in CATALOGS:
        for block in entries(po):
            if is_obsolete(block) or is_header(block):
                continue
            entry = fields(block)
            key = (entry.get("msgctxt", ""), entry["msgid"])
            translation = entry.get("msgstr", entry.get("msgstr[0]", ""))
            where = str(po.relative_to(ROOT).parts[0])
            if key in seen and seen[key][1] != translation:
                clashes.append(f"{key[1]}: {seen[key][0]} “{seen[key][1]}” ≠ {where} “{translation}”")
            seen.setdefault(key, (where, translation))
    assert not clashes, "\n".join(clashes)
