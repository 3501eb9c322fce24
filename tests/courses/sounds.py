"""Test sounds made with PyAV itself: a sine wave in the containers editors send (no files, no mocks)."""

from __future__ import annotations

import io
import math
import struct

import av

# (container format, codec, file extension, sample rate): what phones and apps produce.
KINDS = {
    "wav": ("wav", "pcm_s16le", "wav", 44_100),
    "mp3": ("mp3", "libmp3lame", "mp3", 44_100),
    "m4a": ("ipod", "aac", "m4a", 44_100),
    "ogg": ("ogg", "libopus", "opus", 48_000),  # a WhatsApp voice note
    "amr": ("amr", "libopencore_amrnb", "amr", 8_000),
    "3gp": ("3gp", "libopencore_amrnb", "3gp", 8_000),
}


def encoder_available(codec: str) -> bool:
    try:
        av.codec.Codec(codec, "w")
    except Exception:  # noqa: BLE001 - PyAV raises different errors for an unknown codec across versions
        return False
    return True


def sine(kind: str = "wav", *, seconds: float = 2.0, frequency: float = 440.0, stereo: bool = False) -> bytes:
    """``seconds`` of a sine wave encoded as ``kind`` (see KINDS)."""
    container_format, codec, _extension, rate = KINDS[kind]
    layout = "stereo" if stereo and kind not in {"amr", "3gp"} else "mono"
    channels = 2 if layout == "stereo" else 1
    buffer = io.BytesIO()
    with av.open(buffer, mode="w", format=container_format) as output:
        stream = output.add_stream(codec, rate=rate, layout=layout)
        if codec == "libopencore_amrnb":
            stream.bit_rate = 12_200
        total = int(seconds * rate)
        chunk = 1024
        done = 0
        while done < total:
            count = min(chunk, total - done)
            values = []
            for index in range(done, done + count):
                value = int(12_000 * math.sin(2 * math.pi * frequency * index / rate))
                values.extend([value] * channels)
            frame = av.AudioFrame(format="s16", layout=layout, samples=count)
            frame.planes[0].update(struct.pack(f"<{len(values)}h", *values))
            frame.rate = rate
            frame.pts = done
            output.mux(stream.encode(frame))
            done += count
        output.mux(stream.encode(None))
    return buffer.getvalue()


def decoded(data: bytes) -> tuple[str, int, int, float]:
    """(codec, channels, sample rate, seconds) of a file, decoding every frame."""
    with av.open(io.BytesIO(data)) as container:
        stream = container.streams.audio[0]
        samples = 0
        for frame in container.decode(stream):
            samples += frame.samples
            rate = frame.rate
        return stream.codec_context.name, stream.codec_context.channels, rate, samples / rate
