"""Copy a few browser-journey screenshots into docs/ for the README, small enough to commit.

    make e2e && python -m bench.screenshots

The journeys (tests/e2e) save a full-page screenshot of every step under test-artifacts/e2e/
(git-ignored). This picks a handful, crops them to one phone screen, halves them to CSS pixels
and stores them as palette PNGs (tens of kilobytes each).
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image

BASE_DIR = Path(__file__).resolve().parent.parent
ARTIFACTS = BASE_DIR / "test-artifacts" / "e2e"
DOCS = BASE_DIR / "docs"

# (journey folder, screenshot, docs name, which part of the page: "top" or "bottom")
PICKS = [
    (
        "test_artisan_journey_on_a_phone_no-javascript_/no-javascript",
        "04-sign-in-pin-keypad.png",
        "artisan-pin.png",
        "top",
    ),
    ("test_artisan_journey_on_a_phone_javascript_/javascript", "07-lesson.png", "artisan-lesson.png", "top"),
    ("test_artisan_journey_on_a_phone_javascript_/javascript", "11-quiz-passed.png", "artisan-quiz-result.png", "top"),
    ("test_artisan_journey_on_a_phone_javascript_/javascript", "12-my-progress.png", "artisan-mi-avance.png", "bottom"),
    (
        "test_facilitator_journey_on_a_phone_no-javascript_/no-javascript",
        "06-the-few-corrected.png",
        "facilitator-attendance.png",
        "top",
    ),
    ("test_facilitator_journey_on_a_phone_javascript_/javascript", "08-cohort-grid.png", "facilitator-grid.png", "top"),
    (
        "test_editor_changes_a_lesson_publishes_and_sees_it_live/editor",
        "04-lesson-edited.png",
        "editor-lesson.png",
        "top",
    ),
]
SCREEN_HEIGHT = 640  # CSS pixels: one 360×640 phone screen


def shrink(source: Path, target: Path, part: str) -> int:
    with Image.open(source) as image:
        phone = image.width <= 800  # phone shots are 2× device pixels; laptop shots are halved too
        scale = 2
        height = min(image.height, SCREEN_HEIGHT * scale) if phone else image.height
        top = image.height - height if part == "bottom" else 0
        cropped = image.crop((0, top, image.width, top + height)).convert("RGB")
        small = cropped.resize((cropped.width // scale, cropped.height // scale), Image.Resampling.LANCZOS)
        small.quantize(colors=96, method=Image.Quantize.MEDIANCUT).save(target, optimize=True)
    return target.stat().st_size


def main() -> int:
    DOCS.mkdir(exist_ok=True)
    missing = 0
    for folder, name, target, part in PICKS:
        source = ARTIFACTS / folder / name
        if not source.exists():
            print(f"missing {source.relative_to(BASE_DIR)} (run make e2e first)", file=sys.stderr)
            missing += 1
            continue
        size = shrink(source, DOCS / target, part)
        print(f"docs/{target}: {size / 1024:.0f} KB")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
