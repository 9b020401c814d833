"""Configuration files: `arclean.toml`, or the `[tool.arclean]` table of a `pyproject.toml`.

```toml
preset = "safe"                      # normalization of the body
disable = ["widget", "tags"]         # phrase families and rules switched off
max_bytes = 67108864
split_semicolon = false
abbreviations = ["Corp."]

[extra_phrases]                      # phrases added to the lexicon's families
related = ["شاهد المزيد"]

[normalize]                          # normalization switches, on or off
strip_tatweel = true

[quality]                            # drop cleaned documents below these (arclean clean)
preset = "arabic"                    # or "lenient"; bounds below go on top
min_words = 80
```
Values given on the command line win over the file's.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

KEYS = {"preset", "disable", "max_bytes", "split_semicolon", "abbreviations", "extra_phrases", "normalize", "quality"}


def load(path: Path | None, cwd: Path | None = None) -> dict:
    """The settings of `path` (an `arclean.toml`, or a `pyproject.toml` read at
    `[tool.arclean]`); with no path, `pyproject.toml` in `cwd` when it has that table.

    Raises:
        ConfigError: the file cannot be read or parsed, or holds unknown keys or wrong types.
    """
    if path is None:
        found = (cwd or Path.cwd()) / "pyproject.toml"
        if not found.is_file():
            return {}
        path, implicit = found, True
    else:
        implicit = False
    try:
        raw = path.read_text(encoding="utf-8")
        data = tomllib.loads(raw)
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"{path}: cannot read the configuration: {e}") from None
    except tomllib.TOMLDecodeError as e:
        # a broken pyproject.toml that has no arclean table is not ours to refuse
        if implicit and "tool.arclean" not in raw:
            return {}
        raise ConfigError(f"{path}: not valid TOML: {e}") from None
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("arclean", {})
    return check(data, str(path))


def check(data: dict, where: str) -> dict:
    unknown = sorted(set(data) - KEYS)
    if unknown:
        raise ConfigError(f"{where}: unknown settings {unknown}; known: {sorted(KEYS)}")
    kinds = {
        "preset": str, "disable": list, "max_bytes": int, "split_semicolon": bool,
        "abbreviations": list, "extra_phrases": dict, "normalize": dict, "quality": dict,
    }
    for k, v in data.items():
        if not isinstance(v, kinds[k]) or (kinds[k] is int and isinstance(v, bool)):
            raise ConfigError(f"{where}: '{k}' must be a {kinds[k].__name__}; got {type(v).__name__}")
    for k, v in data.get("normalize", {}).items():
        if not isinstance(v, bool):
            raise ConfigError(f"{where}: normalize.{k} must be true or false")
    for k in ("disable", "abbreviations"):
        if not all(isinstance(x, str) for x in data.get(k, [])):
            raise ConfigError(f"{where}: '{k}' must be a list of strings")
    for family, phrases in data.get("extra_phrases", {}).items():
        if not isinstance(phrases, list) or not all(isinstance(x, str) for x in phrases):
            raise ConfigError(f"{where}: extra_phrases.{family} must be a list of strings")
    for k, v in data.get("quality", {}).items():
        if k == "preset":
            if not isinstance(v, str):
                raise ConfigError(f"{where}: quality.preset must be a string")
        elif isinstance(v, bool) or not isinstance(v, (int, float)):
            raise ConfigError(f"{where}: quality.{k} must be a number")
    if data.get("max_bytes", 0) < 0:
        raise ConfigError(f"{where}: 'max_bytes' must be 0 (no limit) or more")
    return data
