"""Exceptions raised by arclean. Every one is an `ArcleanError`; bad values are also `ValueError`."""

from __future__ import annotations

__all__ = ["ArcleanError", "ConfigError", "DecodeError", "InputTooLargeError"]


class ArcleanError(Exception):
    """Base class of arclean's errors."""


class ConfigError(ArcleanError, ValueError):
    """An unknown preset, switch or option, or a value of the wrong kind."""


class DecodeError(ArcleanError, ValueError):
    """Input that is not text: undecodable bytes, or a `str` holding a lone surrogate."""


class InputTooLargeError(ArcleanError, ValueError):
    """An input over the configured size limit."""
