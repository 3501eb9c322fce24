"""The English catalogues say what the code says: interface strings are written in English in the code."""

from tests.lms.test_i18n import ROOT, catalogues, parse_po


def test_every_english_string_translates_to_itself():
    """A fuzzy match left by makemessages once turned "Import attendance" into "Attendance" in English."""
    wrong = []
    for po in catalogues():
        if po.parent.parent.name != "en":
            continue
        for entry in parse_po(po):
            if entry["plural"]:
                continue
            if entry["msgid"] and entry["msgstr"] and entry["msgstr"][0] != entry["msgid"]:
                wrong.append((str(po.relative_to(ROOT)), entry["msgid"], entry["msgstr"][0]))
    assert not wrong, wrong
