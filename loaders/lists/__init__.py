"""Reading Chinese expert lists (名单): people, their alliance roles, their posts.

``read_lists(sections)`` returns, for each list section, its :class:`Entry` objects; see
:mod:`.reader`. The reader knows how such lists are written, not who is in them.
"""

from __future__ import annotations

from ecokg.loaders.lists.reader import Entry, Post, read_list, read_lists

__all__ = ["Entry", "Post", "read_list", "read_lists"]
