"""ecokg: a knowledge graph of the Chinese cloud and AI ecosystem.

The Python entry point::

    import ecokg
    kg = ecokg.open("out")                     # after `ecokg build`
    print(kg.ask("people-of", "阳光保险集团"))

See :class:`ecokg.facade.EcoKG` for every verb. Importing ``ecokg`` is cheap: the
facade and its dependencies load on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:  # pragma: no cover
    from ecokg.facade import EcoKG, open

__all__ = ["EcoKG", "__version__", "open"]


def __getattr__(name: str) -> Any:
    if name in ("open", "EcoKG"):
        from ecokg import facade

        return getattr(facade, name)
    raise AttributeError(f"module 'ecokg' has no attribute {name!r}")
