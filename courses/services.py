"""Writes for the course tree: locales, the curriculum loader, editor roles, narrations."""

from __future__ import annotations

import io
import json
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import transaction
from wagtail.images import get_image_model
from wagtail.images.models import AbstractImage
from wagtail.models import Locale, Page, Site

from . import audio, voice
from .models import LessonPage, ModulePage, Narration, ProgrammePage

CURRICULUM_DIR = Path(__file__).resolve().parent / "curriculum"
ILLUSTRATION_PREFIX = "telar-illustration-"
NARRATION_FOLDER = "narration"


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    unchanged: int = 0

    def add(self, label: str) -> None:
        self.created.append(label)


def ensure_locales() -> dict[str, Locale]:
    """One Wagtail locale per content language in settings (idempotent)."""
    return {
        code: Locale.objects.get_or_create(language_code=code)[0] for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES
    }


def programme_directories() -> list[Path]:
    """Every programme's files: courses/curriculum/ (the six workshops, the site's home page) first, then each
    folder beside its modules that holds a programme.json (e.g. economia-social/), by name."""
    return [CURRICULUM_DIR, *sorted(path.parent for path in CURRICULUM_DIR.glob("*/programme.json"))]


def read_curriculum(directory: Path = CURRICULUM_DIR) -> tuple[dict, list[dict]]:
    programme = json.loads((directory / "programme.json").read_text(encoding="utf-8"))
    modules = [json.loads(path.read_text(encoding="utf-8")) for path in sorted(directory.glob("module_*.json"))]
    modules.sort(key=lambda module: module["order"])
    return programme, modules


def illustration_image(name: str, colour: str | None = None) -> AbstractImage:
    """The Wagtail image for a generated illustration, created once (WebP, small)."""
    # The drawing code and its motif tables add ~4 MB to a process; only loading the curriculum draws.
    from courses import illustrations

    Image = get_image_model()
    title = f"{ILLUSTRATION_PREFIX}{name}"
    image = Image.objects.filter(title=title).first()
    if image is not None:
        return image
    buffer = io.BytesIO()
    illustrations.render(name, colour=colour).save(buffer, format="WEBP", quality=70, method=6)
    buffer.seek(0)
    image = Image(title=title, file=ImageFile(buffer, name=f"{name}.webp"))
    image.save()
    return image


def narration_store(*, narration: Narration, transcoded: audio.Transcoded, name: str = "") -> Narration:
    """Put a transcoded recording in a narration (new or existing) and measure it.

    A recording an editor uploads is a real voice: storing it clears ``synthetic``, so replacing the
    demo's computer voice is just uploading over it (every page and question that plays it follows).
    """
    stem = Path(name).stem[:80] or "narration"
    narration.file.save(f"{stem}.{audio.EXTENSION}", ContentFile(transcoded.data), save=False)
    narration.seconds = max(1, round(transcoded.seconds))
    narration.size = transcoded.size
    narration.synthetic = False
    narration.full_clean()
    narration.save()
    return narration


def curriculum_narration(directory: Path, name: str, *, title: str, transcript: str = "") -> Narration | None:
    """The narration made from ``<directory>/narration/<name>.ogg`` (committed, synthetic), created once.

    Found again by its file (``Narration.key``), so loading twice makes one, and a narration an editor
    has since replaced with her recording keeps her recording. None when the file is not there.
    """
    path = directory / NARRATION_FOLDER / f"{name}.{audio.EXTENSION}"
    if not path.is_file():
        return None
    key = path.resolve().relative_to(CURRICULUM_DIR.resolve()).as_posix()
    existing = Narration.objects.filter(key=key).first()
    if existing is not None:
        return existing
    data = path.read_bytes()
    narration = Narration(
        title=title[:200],
        key=key,
        synthetic=True,
        transcript=transcript,
        seconds=max(1, round(audio.probe_seconds(io.BytesIO(data)))),
        size=len(data),
    )
    narration.file.save(path.name, ContentFile(data), save=False)
    narration.full_clean()
    narration.save()
    return narration


def _lesson_narration(directory: Path, lesson_data: dict) -> Narration | None:
    return curriculum_narration(
        directory,
        lesson_data["slug"],
        title=f"Lección: {lesson_data['es']['title']}",
        transcript=voice.lesson_script(lesson_data["es"]),
    )


def question_narrations(directory: Path, module_data: dict) -> dict[int, Narration]:
    """The demo narration of each question of a module's quiz (position from 0 → narration), created once."""
    found = {}
    for position, question in enumerate((module_data.get("quiz") or {}).get("questions", [])):
        narration = curriculum_narration(
            directory,
            voice.question_name(module_data["slug"], position + 1),
            title=f"Pregunta {position + 1}: {question['es']['text']}",
            transcript=voice.question_script(question),
        )
        if narration is not None:
            found[position] = narration
    return found


def _attach_narration(lesson: LessonPage, narration: Narration | None) -> bool:
    """Give an existing Spanish lesson its demo narration if it has none (a new revision, published).

    A lesson with a narration (perhaps an editor's recording) or with a draft waiting is left alone.
    """
    if narration is None or lesson.narration_id is not None or lesson.has_unpublished_changes:
        return False
    lesson.narration = narration
    _publish(lesson)
    return True


def _body_raw(blocks: list[dict]) -> str:
    raw = []
    for block in blocks:
        value = block["value"]
        if block["type"] == "image":
            value = {
                "image": illustration_image(value["illustration"]).pk,
                "alt": value["alt"],
                "caption": value.get("caption", ""),
            }
        raw.append({"type": block["type"], "value": value})
    return json.dumps(raw, ensure_ascii=False)


def _publish(page: Page) -> None:
    page.save_revision(log_action=True).publish(log_action=True)


def _find_child(
    parent: Page, model: type[Page], translation_key: uuid.UUID | None = None, slug: str | None = None
) -> Page | None:
    queryset = model.objects.child_of(parent)
    if slug is not None:
        found = queryset.filter(slug=slug).first()
        if found is not None:
            return found
    if translation_key is not None:
        return queryset.filter(translation_key=translation_key).first()
    return None


def _translate(source: Page, locale: Locale, fields: dict, report: LoadReport, label: str) -> Page:
    """The page's translation in `locale`, created (then filled and published) when missing."""
    existing = source.get_translation_or_none(locale)
    if existing is not None:
        report.unchanged += 1
        return existing.specific
    translated = source.copy_for_translation(locale)
    for name, value in fields.items():
        setattr(translated, name, value)
    translated.save()
    _publish(translated)
    report.add(label)
    return translated


@transaction.atomic
def load_all_curricula() -> LoadReport:
    """Every programme of courses/curriculum/ (``programme_directories``): the first is the site's home page,
    the others its children (so they have a URL on the one site and the home links them)."""
    report = LoadReport()
    for directory in programme_directories():
        loaded = load_curriculum(directory)
        report.created += loaded.created
        report.unchanged += loaded.unchanged
    return report


def _home_programme(default: Locale) -> ProgrammePage | None:
    """The site's home programme (the six workshops): the first programme at the top of the tree."""
    return ProgrammePage.objects.filter(locale=default, depth=2).order_by("path").first()


@transaction.atomic
def load_curriculum(directory: Path = CURRICULUM_DIR) -> LoadReport:
    """Create a programme, its modules and lessons in every language.

    courses/curriculum/ itself is the home programme, at the top of the tree and the default site's root;
    any other directory is a programme under it. Idempotent: a page that already exists (in any language)
    is left exactly as it is, so a second run creates nothing and never overwrites what editors have
    changed in the admin since (the home programme is found even if editors renamed its slug).
    """
    report = LoadReport()
    locales = ensure_locales()
    default = locales[settings.LANGUAGE_CODE]
    others = [locale for code, locale in locales.items() if code != settings.LANGUAGE_CODE]
    programme_data, modules_data = read_curriculum(directory)

    is_home = directory.resolve() == CURRICULUM_DIR.resolve()
    home = _home_programme(default)
    parent: Page | None = Page.get_first_root_node() if is_home else home
    if parent is None:
        raise ValueError("load the home programme (courses/curriculum/) before the others")
    programme = home if is_home else _find_child(parent, ProgrammePage, slug=programme_data["slug"])
    if programme is None:
        programme = ProgrammePage(
            title=programme_data["es"]["title"], slug=programme_data["slug"], intro=programme_data["es"]["intro"]
        )
        parent.add_child(instance=programme)
        _publish(programme)
        report.add(f"programme {programme.title}")
    else:
        report.unchanged += 1
    if is_home:
        _point_site_at(programme)
    for locale in others:
        code = locale.language_code
        data = programme_data.get(code, programme_data["en"])
        _translate(
            programme,
            locale,
            {
                "title": data["title"],
                "slug": programme_data.get(f"slug_{code}", programme_data["slug"]),
                "intro": data["intro"],
            },
            report,
            f"programme ({code})",
        )

    for module_data in modules_data:
        module = _find_child(programme, ModulePage, slug=module_data["slug"])
        image = illustration_image(module_data["illustration"], colour=module_data["colour"])
        if module is None:
            module = ModulePage(
                title=module_data["es"]["title"],
                slug=module_data["slug"],
                summary=module_data["es"]["summary"],
                order=module_data["order"],
                colour=module_data["colour"],
                image=image,
            )
            programme.add_child(instance=module)
            _publish(module)
            report.add(f"module {module.title}")
        else:
            report.unchanged += 1
        for locale in others:
            code = locale.language_code
            data = module_data.get(code, module_data["en"])
            _translate(
                module,
                locale,
                {
                    "title": data["title"],
                    "slug": module_data.get(f"slug_{code}", module_data["slug"]),
                    "summary": data["summary"],
                },
                report,
                f"module {data['title']} ({code})",
            )
        for lesson_data in module_data["lessons"]:
            lesson = _find_child(module, LessonPage, slug=lesson_data["slug"])
            narration = _lesson_narration(directory, lesson_data)
            if lesson is None:
                lesson = LessonPage(
                    title=lesson_data["es"]["title"],
                    slug=lesson_data["slug"],
                    intro=lesson_data["es"].get("intro", ""),
                    duration_minutes=lesson_data["duration_minutes"],
                    body=_body_raw(lesson_data["es"]["body"]),
                    narration=narration,
                )
                module.add_child(instance=lesson)
                _publish(lesson)
                report.add(f"lesson {lesson.title}")
            elif _attach_narration(lesson, narration):
                report.add(f"narration of {lesson.title}")
            else:
                report.unchanged += 1
            for locale in others:
                code = locale.language_code
                data = lesson_data.get(code, lesson_data["en"])
                _translate(
                    lesson,
                    locale,
                    {
                        "title": data["title"],
                        "slug": lesson_data.get(f"slug_{code}", lesson_data["slug"]),
                        "intro": data.get("intro", ""),
                        "body": _body_raw(data["body"]),
                    },
                    report,
                    f"lesson {data['title']} ({code})",
                )
    return report


def _point_site_at(programme: ProgrammePage) -> None:
    """Make the programme the default site's root, removing Wagtail's placeholder page."""
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=programme, is_default_site=True, site_name="Telar")
        return
    if site.root_page_id == programme.pk:
        return
    placeholder = site.root_page
    site.root_page = programme
    site.site_name = "Telar"
    site.save()
    if placeholder.specific_class is Page and placeholder.depth == 2 and not placeholder.get_children().exists():
        placeholder.delete()
