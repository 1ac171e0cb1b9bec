"""Narrative Coach: a private desktop coach for public speeches."""

__version__ = "0.1.0"
