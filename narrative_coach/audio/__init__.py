"""Audio in and out: decoding files (`decode`), recording (`record`, `devices`) and playback (`player`).

Import the submodule you need; this package imports nothing heavy so that, for example, listing
input devices does not pay for loading FFmpeg.
"""
