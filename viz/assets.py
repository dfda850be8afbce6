"""Locate the vis-network JavaScript/CSS shipped inside the installed pyvis package.

pyvis bundles vis-network under ``site-packages/pyvis/lib/vis-<version>/``, but its
own template still pulls vis-network and Bootstrap from CDNs. ecokg inlines the
bundled copies instead, so the written pages work with no network at all.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import pyvis

#: vis-network versions we know pyvis ships, newest first.
PREFERRED_VIS_VERSIONS: tuple[str, ...] = ("9.1.2", "9.0.4")

_VIS_DIR_RE = re.compile(r"^vis-(\d+(?:\.\d+)*)$")


class AssetError(RuntimeError):
    """Raised when the bundled vis-network files cannot be found in pyvis."""


@dataclass(frozen=True)
class VisAssets:
    """The vis-network files to inline into a page."""

    version: str
    js_path: Path
    css_path: Path
    js: str
    css: str


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def pyvis_lib_dir() -> Path:
    """Return ``site-packages/pyvis/lib`` of the imported pyvis package."""
    return Path(pyvis.__file__).resolve().parent / "lib"


def find_vis_dir(lib_dir: Path | None = None) -> tuple[str, Path]:
    """Find the vis-network directory in pyvis' ``lib`` (preferred version first)."""
    lib = lib_dir if lib_dir is not None else pyvis_lib_dir()
    found: dict[str, Path] = {}
    if lib.is_dir():
        for child in lib.iterdir():
            match = _VIS_DIR_RE.match(child.name)
            if match and (child / "vis-network.min.js").is_file() and (child / "vis-network.css").is_file():
                found[match.group(1)] = child
    if not found:
        raise AssetError(f"no vis-network bundle (vis-*/vis-network.min.js) found under {lib}")
    for version in PREFERRED_VIS_VERSIONS:
        if version in found:
            return version, found[version]
    newest = max(found, key=_version_key)
    return newest, found[newest]


def _script_safe(js: str) -> str:
    """Make library JS safe to place between ``<script>`` and ``</script>``.

    ``</script`` would end the element early and ``<!--`` switches the HTML parser
    into its "escaped" script state; both only occur inside JS strings/regexes/comments,
    where ``<\\/`` and ``<\\!--`` mean the same thing.
    """
    js = re.sub(r"</(script)", r"<\\/\1", js, flags=re.IGNORECASE)
    return js.replace("<!--", "<\\!--")


def _style_safe(css: str) -> str:
    """Make library CSS safe to place inside ``<style>``."""
    return re.sub(r"</(style)", r"<\\/\1", css, flags=re.IGNORECASE)


@functools.lru_cache(maxsize=4)
def load_vis_assets(lib_dir: Path | None = None) -> VisAssets:
    """Read (once) the vis-network JS and CSS bundled with pyvis, made inline-safe."""
    version, directory = find_vis_dir(lib_dir)
    js_path = directory / "vis-network.min.js"
    css_path = directory / "vis-network.css"
    js = js_path.read_text(encoding="utf-8")
    css = css_path.read_text(encoding="utf-8")
    return VisAssets(
        version=version,
        js_path=js_path,
        css_path=css_path,
        js=_script_safe(js),
        css=_style_safe(css),
    )
