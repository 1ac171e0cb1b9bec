"""Audio devices: list microphones and speakers, and resolve the user's choice to a device.

Devices are remembered by name (`Settings.input_device`), not by PortAudio index: indexes change
when a headset is plugged in, names do not. A remembered device that has gone falls back to the
default with a message; a device the user names explicitly and that is not there is an error.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from types import ModuleType

from narrative_coach.errors import UserError

log = logging.getLogger(__name__)

NO_MIC_HINT = (
    "Connect a microphone (or headset) and check that the sound system sees it, "
    "then run 'narrative-coach devices' to list what is available."
)


def sounddevice() -> ModuleType:
    """Import sounddevice lazily: a machine without PortAudio can still analyse typed speeches."""
    try:
        import sounddevice as sd
    except OSError as exc:  # PortAudio library missing
        raise UserError(
            "Recording is not available: the PortAudio sound library is missing.",
            "Install it (Debian/Ubuntu: sudo apt install libportaudio2) and try again.",
        ) from exc
    return sd


@dataclass(frozen=True)
class AudioDevice:
    index: int
    name: str
    hostapi: str
    max_input_channels: int
    max_output_channels: int
    default_samplerate: float
    is_default_input: bool = False
    is_default_output: bool = False

    def to_dict(self) -> dict:
        return {
            "index": self.index,
            "name": self.name,
            "hostapi": self.hostapi,
            "max_input_channels": self.max_input_channels,
            "max_output_channels": self.max_output_channels,
            "default_samplerate": self.default_samplerate,
            "is_default_input": self.is_default_input,
            "is_default_output": self.is_default_output,
        }


def _all_devices() -> list[AudioDevice]:
    sd = sounddevice()
    try:
        raw = sd.query_devices()
        hostapis = sd.query_hostapis()
        default_in, default_out = sd.default.device
    except Exception as exc:  # noqa: BLE001 - PortAudioError and friends from a broken sound system
        log.warning("querying audio devices failed: %s", exc)
        return []
    out = []
    for info in raw:
        index = int(info["index"])
        out.append(
            AudioDevice(
                index=index,
                name=str(info["name"]),
                hostapi=str(hostapis[info["hostapi"]]["name"]),
                max_input_channels=int(info["max_input_channels"]),
                max_output_channels=int(info["max_output_channels"]),
                default_samplerate=float(info["default_samplerate"]),
                is_default_input=index == default_in,
                is_default_output=index == default_out,
            )
        )
    return out


def list_input_devices() -> list[AudioDevice]:
    """Every device that can record, the system default first."""
    devs = [d for d in _all_devices() if d.max_input_channels > 0]
    return sorted(devs, key=lambda d: (not d.is_default_input, d.index))


def list_output_devices() -> list[AudioDevice]:
    devs = [d for d in _all_devices() if d.max_output_channels > 0]
    return sorted(devs, key=lambda d: (not d.is_default_output, d.index))


def _match(devices: list[AudioDevice], wanted: str | int) -> AudioDevice | None:
    if isinstance(wanted, int) or (isinstance(wanted, str) and wanted.strip().isdigit()):
        idx = int(wanted)
        return next((d for d in devices if d.index == idx), None)
    name = str(wanted).strip()
    exact = [d for d in devices if d.name == name]
    if exact:
        return exact[0]
    folded = [d for d in devices if d.name.casefold() == name.casefold()]
    if folded:
        return folded[0]
    partial = [d for d in devices if name.casefold() in d.name.casefold()]
    return partial[0] if len(partial) == 1 else None


def _resolve(
    devices: list[AudioDevice],
    wanted: str | int | None,
    remembered: str | None,
    kind: str,
) -> tuple[AudioDevice, str | None]:
    if not devices:
        if kind == "input":
            raise UserError("No microphone was found.", NO_MIC_HINT)
        raise UserError(
            "No speaker or headphone output was found.",
            "Connect speakers or headphones and run 'narrative-coach devices' to check.",
        )
    if wanted is not None and str(wanted).strip():
        found = _match(devices, wanted)
        if found is None:
            names = ", ".join(f"'{d.name}'" for d in devices)
            raise UserError(
                f"There is no {kind} device called '{wanted}'.",
                f"Choose one of: {names} (see 'narrative-coach devices').",
            )
        return found, None
    default = next((d for d in devices if (d.is_default_input if kind == "input" else d.is_default_output)), devices[0])
    if remembered:
        found = _match(devices, remembered)
        if found is not None:
            return found, None
        what = "microphone" if kind == "input" else "output device"
        return default, (
            f"The {what} '{remembered}' you chose is not connected; "
            f"using the default '{default.name}' instead."
        )
    return default, None


def resolve_input_device(
    wanted: str | int | None = None, remembered: str | None = None
) -> tuple[AudioDevice, str | None]:
    """The device to record from and, when we fell back to the default, a message saying so.

    `wanted` is an explicit choice (must exist); `remembered` is the saved choice (may be gone).
    """
    return _resolve(list_input_devices(), wanted, remembered, "input")


def resolve_output_device(
    wanted: str | int | None = None, remembered: str | None = None
) -> tuple[AudioDevice, str | None]:
    return _resolve(list_output_devices(), wanted, remembered, "output")
