"""Fill the English catalogues from their source strings (the code's own language is English).

Run by `make messages` between makemessages and compilemessages, so that the English
catalogues are complete without hand-copying; Spanish is always translated by hand.
Usage: python -m lms.pofill [ROOT]
"""

import ast
import json
import re
import sys
from pathlib import Path


def fill(path: Path) -> int:
    text = path.read_text(encoding="utf-8")
    changed = 0

    def singular(match: re.Match) -> str:
        nonlocal changed
        changed += 1
        return f"{match.group(1)}msgstr {match.group(2)}\n"

    # msgid "..." (possibly multi-line) followed by an empty msgstr "".
    pattern = re.compile(r'(msgid ((?:"(?:[^"\\]|\\.)*"\n)+))msgstr ""\n(?!")', re.M)
    text = pattern.sub(lambda m: singular(m) if m.group(2) != '""\n' else m.group(0), text)

    def plural(match: re.Match) -> str:
        nonlocal changed
        changed += 1
        return f"{match.group(1)}msgid_plural {match.group(3)}msgstr[0] {match.group(2)}msgstr[1] {match.group(3)}"

    plural_pattern = re.compile(
        r'(msgid ((?:"(?:[^"\\]|\\.)*"\n)+))msgid_plural ((?:"(?:[^"\\]|\\.)*"\n)+)msgstr\[0\] ""\nmsgstr\[1\] ""\n',
        re.M,
    )
    text = plural_pattern.sub(plural, text)
    text = text.replace("#, fuzzy\n", "") if changed else text
    path.write_text(text, encoding="utf-8")
    return changed


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"\n'


def _unquote(block: str) -> str:
    return "".join(ast.literal_eval(line) for line in block.strip().splitlines())


def apply(path: Path, mapping: dict) -> int:
    """Fill empty msgstr entries of one catalogue from {msgid: msgstr or [singular, plural]}."""
    text = path.read_text(encoding="utf-8")
    changed = 0

    def singular(match: re.Match) -> str:
        nonlocal changed
        msgid = _unquote(match.group(2))
        value = mapping.get(msgid)
        if not msgid or not isinstance(value, str):
            return match.group(0)
        changed += 1
        return f"{match.group(1)}msgstr {_quote(value)}"

    text = re.sub(r'(msgid ((?:"(?:[^"\\]|\\.)*"\n)+))msgstr ""\n(?!")', singular, text)

    def plural(match: re.Match) -> str:
        nonlocal changed
        value = mapping.get(_unquote(match.group(2)))
        if not isinstance(value, list):
            return match.group(0)
        changed += 1
        return f"{match.group(1)}msgid_plural {match.group(3)}msgstr[0] {_quote(value[0])}msgstr[1] {_quote(value[1])}"

    text = re.sub(
        r'(msgid ((?:"(?:[^"\\]|\\.)*"\n)+))msgid_plural ((?:"(?:[^"\\]|\\.)*"\n)+)msgstr\[0\] ""\nmsgstr\[1\] ""\n',
        plural,
        text,
    )
    path.write_text(text, encoding="utf-8")
    return changed


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--apply":
        # python -m lms.pofill --apply path/to/django.po translations.json

        po, source = Path(sys.argv[2]), Path(sys.argv[3])
        print(f"{po}: {apply(po, json.loads(source.read_text(encoding='utf-8')))} filled")
        sys.exit(0)
    root = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    for po in root.glob("**/locale/en/LC_MESSAGES/django.po"):
        if ".venv" in po.parts:
            continue
        print(f"{po}: {fill(po)} filled")
