"""The narration editor's form: upload (or record) a file; Telar keeps only its Opus transcoding."""

from __future__ import annotations

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from . import audio, services

ACCEPT = "audio/*,.opus,.ogg,.oga,.m4a,.mp3,.amr,.3gp,.wav,.webm"


def _source(upload: UploadedFile):
    """What PyAV opens: the temporary file's path for a large upload, else the file in memory."""
    if hasattr(upload, "temporary_file_path"):
        return upload.temporary_file_path()
    upload.seek(0)
    return upload.file


class NarrationForm(WagtailAdminModelForm):
    """Any sound file an editor has (a WhatsApp voice note, .m4a, .mp3, .amr, .3gp, .wav), or one
    recorded from the phone's browser, transcoded in ``clean`` (bounded by ``audio.max_seconds`` and
    ``audio.max_bytes``). A file Telar cannot use is a field error, and nothing is saved."""

    upload = forms.FileField(
        label=_("Recording to upload"),
        required=False,
        help_text=_(
            "A WhatsApp voice note, or an .m4a, .mp3, .amr, .3gp or .wav file, up to 15 minutes. "
            "Telar makes it small (mono Opus, about 150 KB a minute)."
        ),
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
    )
    recording = forms.FileField(
        label=_("Or record it now"),
        required=False,
        help_text=_("On a phone this opens the voice recorder."),
        widget=forms.FileInput(attrs={"accept": "audio/*", "capture": "user"}),
    )

    transcoded: audio.Transcoded | None = None
    upload_name = ""

    def clean(self):
        cleaned = super().clean()
        given = [(name, cleaned.get(name)) for name in ("upload", "recording") if cleaned.get(name)]
        if len(given) > 1:
            self.add_error("recording", _("Choose a file or record one, not both."))
        elif given:
            name, upload = given[0]
            try:
                self.transcoded = audio.transcode(_source(upload), size=upload.size)
                self.upload_name = upload.name
            except audio.AudioError as error:
                self.add_error(name, str(error))
        elif not self.instance.file:
            self.add_error("upload", _("Upload a recording or record one."))
        return cleaned

    def save(self, commit=True):
        narration = super().save(commit=False)
        if self.transcoded is not None:
            return services.narration_store(narration=narration, transcoded=self.transcoded, name=self.upload_name)
        if commit:
            narration.save()
        return narration
