import { ApiError } from "../http";
import { asRecord, str, strList, list } from "../wire";
import { cpaJson } from "./client";

/**
 * CPA's OAuth model maps (cpa-management-api §4): excluded models per provider and model aliases per
 * channel. The v0 routes are kept on v8 (cpa-v8 §3), so one client serves both. Writes go one key at a time
 * (PATCH; an empty list deletes the key), after the editor has checked that the key did not change on the
 * server since it was read.
 */
export type ExcludedModels = Record<string, string[]>;

export interface ModelAlias {
  name: string;
  alias: string;
  fork: boolean;
}

export type ModelAliases = Record<string, ModelAlias[]>;

export function toExcludedModels(wire: unknown): ExcludedModels {
  const out: ExcludedModels = {};
  for (const [provider, models] of Object.entries(asRecord(asRecord(wire)["oauth-excluded-models"]))) {
    out[provider] = strList(models);
  }
  return out;
}

export function toModelAliases(wire: unknown): ModelAliases {
  const out: ModelAliases = {};
  for (const [channel, items] of Object.entries(asRecord(asRecord(wire)["oauth-model-alias"]))) {
    out[channel] = list(items).map((item) => {
      const i = asRecord(item);
      return { name: str(i.name), alias: str(i.alias), fork: i.fork === true };
    });
  }
  return out;
}

export interface ModelDefinition {
  id: string;
  displayName: string;
}

export const oauthMapsApi = {
  excluded: async (): Promise<ExcludedModels> => toExcludedModels((await cpaJson("GET", "/oauth-excluded-models")).body),

  /** Replaces one provider's list; an empty list removes the provider. */
  saveExcluded: async (provider: string, models: readonly string[]): Promise<void> => {
    if (models.length === 0) await cpaJson("DELETE", "/oauth-excluded-models", { query: { provider } });
    else await cpaJson("PATCH", "/oauth-excluded-models", { body: { provider, models } });
  },

  aliases: async (): Promise<ModelAliases> => toModelAliases((await cpaJson("GET", "/oauth-model-alias")).body),

  saveAliases: async (channel: string, aliases: readonly ModelAlias[]): Promise<void> => {
    if (aliases.length === 0) {
      await cpaJson("DELETE", "/oauth-model-alias", { query: { channel } });
      return;
    }
    const body = aliases.map((a) => (a.fork ? { name: a.name, alias: a.alias, fork: true } : { name: a.name, alias: a.alias }));
    await cpaJson("PATCH", "/oauth-model-alias", { body: { channel, aliases: body } });
  },

  /** CPA's static catalogue for a channel (suggestions in the alias editor); [] for an unknown channel. */
  definitions: async (hasV8: boolean, channel: string): Promise<ModelDefinition[]> => {
    const path = `${hasV8 ? "/routing" : ""}/model-definitions/${encodeURIComponent(channel)}`;
    try {
      const models = asRecord((await cpaJson("GET", path, { tree: hasV8 ? "v8" : "v0" })).body).models;
      return list(models).map((m) => ({ id: str(asRecord(m).id), displayName: str(asRecord(m).display_name) }));
    } catch (error) {
      // Suggestions only: a channel CPA has no catalogue for (400 unknown channel) must not block the editor.
      if (error instanceof ApiError && error.status === 400) return [];
      throw error;
    }
  },
};

/** The channels CPA knows model definitions for (cpa-management-api §5.7). */
export const ALIAS_CHANNELS = ["claude", "codex", "gemini", "vertex", "aistudio", "antigravity", "kimi", "xai"] as const;
