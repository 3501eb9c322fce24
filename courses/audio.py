"""Narration audio: every upload becomes small mono Opus (PyAV), measured once.

Editors upload what they have — a WhatsApp voice note (.opus/.ogg), .m4a, .mp3, .amr, .3gp, .wav —
and the artisan's phone, on paid data, downloads at most ~150 KB a minute (20 kbit/s) and only when
she taps play. PyAV ships FFmpeg with libopus, so no system package is needed. A file that is not
sound, too big, too long or corrupt raises ``AudioError`` with a message for the editor; nothing is
written (the caller saves only what ``transcode`` returned). PyAV is imported by the functions that
use it: only an upload loads FFmpeg, never a worker that serves lessons (gunicorn.conf.py).
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _

# Uploads: speech at 20 kbit/s is clear (Opus "voip" mode); the demo's synthetic voice needs less.
UPLOAD_BITRATE = 20_000
SYNTHETIC_BITRATE = 9_000  # the demo's computer voice: every module kept offline, audio too, stays under 1 MB
SAMPLE_RATE = 24_000  # Opus's super-wideband input; enough for a voice, half the work of 48 kHz
CONTAINER = "ogg"
EXTENSION = "ogg"
CONTENT_TYPE = "audio/ogg"


def max_seconds() -> int:
    return getattr(settings, "TELAR_NARRATION_MAX_SECONDS", 15 * 60)


def max_bytes() -> int:
    return getattr(settings, "TELAR_NARRATION_MAX_UPLOAD_BYTES", 25 * 1024 * 1024)


class AudioError(ValueError):
    """An upload Telar cannot turn into a narration; ``str()`` is the message for the editor."""


@dataclass(frozen=True)
class Transcoded:
    data: bytes
    seconds: float

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def bits_per_second(self) -> float:
        return self.size * 8 / self.seconds if self.seconds else 0.0


def _too_long() -> AudioError:
    return AudioError(
        _("This recording is longer than %(minutes)s minutes. Cut it into shorter parts.")
        % {"minutes": max_seconds() // 60}
    )


def transcode(source: BinaryIO | str | Path, *, bitrate: int = UPLOAD_BITRATE, size: int | None = None) -> Transcoded:
    """Decode any sound file FFmpeg reads and encode it as mono Opus in Ogg at ``bitrate``.

    ``size`` (bytes, when the caller knows it) is checked before any decoding; the length is checked
    from the container's header when it has one, and again while decoding (a header can lie), so a
    long file costs at most ``max_seconds()`` of decoding.
    """
    if size is not None and size > max_bytes():
        raise AudioError(
            _("This file is too big (more than %(megabytes)s MB). Send a shorter recording.")
            % {"megabytes": max_bytes() // (1024 * 1024)}
        )
    if size == 0:
        raise AudioError(_("This file is empty."))
    import av

    try:
        container = av.open(source, mode="r")
    except (av.FFmpegError, OSError, ValueError) as error:
        raise AudioError(_("This file is not a sound recording Telar can read.")) from error
    output_buffer = io.BytesIO()
    samples = 0
    limit = max_seconds()
    try:
        with container:
            if not container.streams.audio:
                raise AudioError(_("This file has no sound. Choose a voice note or another recording."))
            if container.duration is not None and container.duration / av.time_base > limit + 1:
                raise _too_long()
            stream = container.streams.audio[0]
            resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
            with av.open(output_buffer, mode="w", format=CONTAINER) as output:
                encoder = output.add_stream("libopus", rate=SAMPLE_RATE, layout="mono")
                encoder.bit_rate = bitrate
                encoder.options = {"application": "voip", "frame_duration": "60", "vbr": "on"}

                def encode(frames):
                    nonlocal samples
                    for frame in frames:
                        samples += frame.samples
                        if samples > (limit + 1) * SAMPLE_RATE:
                            raise _too_long()
                        output.mux(encoder.encode(frame))

                for packet in container.demux(stream):
                    for frame in packet.decode():
                        frame.pts = None
                        encode(resampler.resample(frame))
                encode(resampler.resample(None))
                output.mux(encoder.encode(None))
    except AudioError:
        raise
    except (av.FFmpegError, OSError, ValueError, EOFError) as error:
        raise AudioError(_("This recording is damaged and cannot be read. Record it or export it again.")) from error
    if samples < SAMPLE_RATE // 4:
        raise AudioError(_("This recording has no sound Telar can hear (it is shorter than a second)."))
    return Transcoded(data=output_buffer.getvalue(), seconds=samples / SAMPLE_RATE)


def probe_seconds(source: BinaryIO | str | Path) -> float:
    """The length of an Opus file Telar wrote (from its last packet; 0.0 if unreadable)."""
    import av

    try:
        with av.open(source, mode="r") as container:
            stream = container.streams.audio[0]
            end = 0.0
            for packet in container.demux(stream):
                if packet.pts is not None and packet.duration is not None:
                    end = max(end, float((packet.pts + packet.duration) * packet.time_base))
            return end
    except (av.FFmpegError, OSError, ValueError, IndexError):
        return 0.0


def duration_label(seconds: float) -> str:
    """ "45 s" under a minute, else whole minutes ("2 min")."""
    if seconds < 59.5:
        return _("%(seconds)s s") % {"seconds": max(1, round(seconds))}
    return _("%(minutes)s min") % {"minutes": round(seconds / 60)}


def size_label(size: int) -> str:
    """ "240 KB", or "1.2 MB" from a thousand KB (decimal separator of the language)."""
    kilobytes = size / 1024
    if kilobytes < 1000:
        return _("%(kilobytes)s KB") % {"kilobytes": max(1, math.ceil(kilobytes))}
    return _("%(megabytes)s MB") % {"megabytes": number_format(kilobytes / 1024, 1)}


def listen_label(seconds: float, size: int) -> str:
    """What she reads on the button before tapping: "2 min · 240 KB"."""
    return f"{duration_label(seconds)} · {size_label(size)}"
