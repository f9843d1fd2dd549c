"""``GET /model-definitions/{channel}`` (cpa-management-api §5.7) and v8 ``/routing/model-definitions/:channel``.

A small catalogue per channel in CPA's ModelInfo field order; the real lists are longer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .messages import Reply, Request, json_reply

if TYPE_CHECKING:
    from .server import CpaDouble

CREATED = 1754524800
# channel → (owned_by, type, [(id, display name, context length)])
_CATALOGUE: dict[str, tuple[str, str, list[tuple[str, str, int]]]] = {
    "claude": ("anthropic", "claude", [("claude-sonnet-4-5-20250929", "Claude Sonnet 4.5", 200000),
                                       ("claude-opus-4-1-20250805", "Claude Opus 4.1", 200000),
                                       ("claude-haiku-4-5-20251001", "Claude Haiku 4.5", 200000)]),
    "gemini": ("google", "gemini", [("gemini-2.5-pro", "Gemini 2.5 Pro", 1048576),
                                    ("gemini-2.5-flash", "Gemini 2.5 Flash", 1048576)]),
    "codex": ("openai", "openai", [("gpt-5.4", "GPT 5.4", 400000), ("gpt-5.4-mini", "GPT 5.4 Mini", 400000),
                                   ("gpt-5-codex", "GPT 5 Codex", 400000)]),
    "kimi": ("moonshot", "kimi", [("kimi-k2", "Kimi K2", 262144)]),
    "antigravity": ("antigravity", "antigravity", [("gemini-3-pro-preview", "Gemini 3 Pro (Antigravity)", 1048576)]),
    "xai": ("xai", "openai", [("grok-4", "Grok 4", 256000), ("grok-code-fast-1", "Grok Code Fast 1", 256000)]),
}
_CATALOGUE["gemini-interactions"] = _CATALOGUE["vertex"] = _CATALOGUE["aistudio"] = _CATALOGUE["gemini"]
_CATALOGUE["x-ai"] = _CATALOGUE["grok"] = _CATALOGUE["xai"]


def definitions(channel: str) -> list[dict[str, Any]] | None:
    entry = _CATALOGUE.get(channel)
    if entry is None:
        return None
    owner, kind, models = entry
    return [{"id": mid, "object": "model", "created": CREATED, "owned_by": owner, "type": kind,
             "display_name": name, "context_length": context} for mid, name, context in models]


def model_definitions(double: CpaDouble, req: Request) -> Reply:
    tail = req.path.rsplit("/model-definitions", 1)[-1].strip("/")
    channel = (tail or req.arg("channel") or "").strip().lower()
    models = definitions(channel)
    if models is None:
        return json_reply(400, {"channel": channel, "error": "unknown channel"})
    return json_reply(200, {"channel": channel, "models": models})


METHODS = {"GET": model_definitions}
