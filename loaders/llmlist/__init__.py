"""中国大模型列表 (https://github.com/wgwang/awesome-LLMs-In-China): pure parsing of the
README's tables into companies and their models (:mod:`ecokg.loaders.llmlist.parse`)."""

from __future__ import annotations

from ecokg.loaders.llmlist.parse import ListRow, LlmList, parse_llm_list

__all__ = ["ListRow", "LlmList", "parse_llm_list"]
