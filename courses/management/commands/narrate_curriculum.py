"""Record the demo's synthetic narrations (espeak-ng → Opus) into each programme's narration/ folder."""

import json

from django.core.management.base import BaseCommand, CommandError

from courses import voice
from courses.services import NARRATION_FOLDER, programme_directories, read_curriculum


class Command(BaseCommand):
    help = (
        "Synthesise a Spanish narration for every lesson and quiz question of courses/curriculum/ with espeak-ng "
        "and store it as small Opus files to commit (only texts that changed, unless --all). "
        "Needs espeak-ng (apt-get install espeak-ng); loading the curriculum does not."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Record every file again, changed or not.")

    def handle(self, *args, **options):
        if not voice.espeak_available():
            raise CommandError("espeak-ng is not installed (apt-get install -y espeak-ng).")
        made = kept = 0
        total_bytes = 0
        for directory in programme_directories():
            folder = directory / NARRATION_FOLDER
            folder.mkdir(exist_ok=True)
            manifest = voice.read_manifest(folder)
            _programme, modules = read_curriculum(directory)
            wanted = {}
            for name, text in voice.scripts(modules):
                wanted[name] = voice.digest(text)
                path = folder / f"{name}.ogg"
                if not options["all"] and path.is_file() and manifest.get(name) == wanted[name]:
                    kept += 1
                else:
                    recording = voice.synthesise(text)
                    path.write_bytes(recording.data)
                    made += 1
                    self.stdout.write(f"  {path.relative_to(directory.parent)}: {recording.seconds:.0f} s")
                total_bytes += path.stat().st_size
            for stale in folder.glob("*.ogg"):
                if stale.stem not in wanted:
                    stale.unlink()
                    self.stdout.write(f"  removed {stale.name}")
            (folder / voice.MANIFEST).write_text(
                json.dumps(dict(sorted(wanted.items())), indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
            )
        self.stdout.write(
            self.style.SUCCESS(f"Narrations: {made} recorded, {kept} unchanged; {total_bytes / 1024:.0f} KB in all.")
        )
