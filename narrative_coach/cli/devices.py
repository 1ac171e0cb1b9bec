"""`narrative-coach devices`: list microphones and outputs; remember which one to use."""

from __future__ import annotations

import argparse
import json

from narrative_coach.audio.devices import AudioDevice, list_input_devices, list_output_devices, resolve_input_device, resolve_output_device
from narrative_coach.errors import UserError
from narrative_coach.settings import load_settings, save_settings


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "devices",
        help="list microphones and speakers; choose the microphone to record from",
        description=(
            "List input (microphone) and output devices. '*' marks the system default, "
            "'remembered' the device you chose. --use NAME remembers a microphone for recording."
        ),
    )
    p.add_argument("--use", metavar="NAME", help="remember this microphone (name, part of a name, or number)")
    p.add_argument("--use-output", metavar="NAME", help="remember this output device for playback")
    p.add_argument("--forget", action="store_true", help="forget the remembered devices (use the defaults)")
    p.add_argument("--json", action="store_true", help="print the devices as JSON")
    p.set_defaults(handler=run)


def _line(d: AudioDevice, default: bool, remembered: str | None, channels: int) -> str:
    mark = "*" if default else " "
    tag = "  (remembered)" if remembered and remembered == d.name else ""
    return f" {mark} {d.index:>3}  {d.name}  [{d.hostapi}, {channels} ch, {d.default_samplerate:.0f} Hz]{tag}"


def run(args: argparse.Namespace) -> int:
    settings = load_settings()
    if args.forget:
        settings = settings.with_changes(input_device=None, output_device=None)
        save_settings(settings)
        print("Forgot the remembered devices; the system defaults will be used.")
    if args.use:
        device, _ = resolve_input_device(args.use)
        settings = settings.with_changes(input_device=device.name)
        save_settings(settings)
        print(f"Will record from '{device.name}'.")
    if args.use_output:
        device, _ = resolve_output_device(args.use_output)
        settings = settings.with_changes(output_device=device.name)
        save_settings(settings)
        print(f"Will play back on '{device.name}'.")
    inputs, outputs = list_input_devices(), list_output_devices()
    if args.json:
        print(
            json.dumps(
                {
                    "inputs": [d.to_dict() | {"remembered": d.name == settings.input_device} for d in inputs],
                    "outputs": [d.to_dict() | {"remembered": d.name == settings.output_device} for d in outputs],
                    "remembered_input": settings.input_device,
                    "remembered_output": settings.output_device,
                },
                indent=2,
            )
        )
        return 0
    if not inputs and not outputs:
        raise UserError(
            "No audio devices were found.",
            "Connect a microphone or headset and check that the sound system is running.",
        )
    print("Microphones (* = system default):")
    if not inputs:
        print("   none found")
    for d in inputs:
        print(_line(d, d.is_default_input, settings.input_device, d.max_input_channels))
    if settings.input_device and not any(d.name == settings.input_device for d in inputs):
        print(f"   remembered microphone '{settings.input_device}' is not connected; the default will be used")
    print("Outputs (* = system default):")
    if not outputs:
        print("   none found")
    for d in outputs:
        print(_line(d, d.is_default_output, settings.output_device, d.max_output_channels))
    return 0
