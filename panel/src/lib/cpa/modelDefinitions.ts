import { asRecord, str } from "../wire";
import { cpaJson } from "./client";

/**
 * CPA's own model catalogue per channel (cpa-management-api.md §5.7): the models CPA knows for a
 * provider without asking the upstream, useful when the upstream cannot list them.
 */
const CHANNELS: Readonly<Record<string, string>> = {
  "gemini-api-key": "gemini",
  "interactions-api-key": "gemini-interactions",
  "vertex-api-key": "vertex",
  "claude-api-key": "claude",
  "codex-api-key": "codex",
  "xai-api-key": "xai",
};

/** The catalogue channel for a provider family; null when CPA keeps none for it. */
export function channelFor(family: string): string | null {
  return CHANNELS[family] ?? null;
}

export async function modelDefinitions(channel: string): Promise<string[]> {
  const { body } = await cpaJson("GET", `/model-definitions/${encodeURIComponent(channel)}`);
  const models = asRecord(body).models;
  const ids = Array.isArray(models) ? models.map((m) => str(asRecord(m).id)).filter((id) => id !== "") : [];
  return [...new Set(ids)].sort((a, b) => a.localeCompare(b));
}
