import { asRecord, str, strList, list } from "../wire";
import { cpaJson } from "./client";

/**
 * The Ampcode integration (routes served until CPA v7.2.0 removed them; capabilities.hasAmpcode).
 * `GET /ampcode` answers the whole section; each part has its own `{value}` setter.
 */
export interface AmpMapping {
  from: string;
  to: string;
}

export interface AmpUpstreamKey {
  upstreamApiKey: string;
  /** The client API keys whose requests use this upstream key. */
  apiKeys: string[];
}

export interface AmpcodeSettings {
  upstreamUrl: string;
  upstreamApiKey: string;
  upstreamApiKeys: AmpUpstreamKey[];
  modelMappings: AmpMapping[];
  forceModelMappings: boolean;
}

export function toAmpcode(wire: unknown): AmpcodeSettings {
  const body = asRecord(asRecord(wire).ampcode);
  return {
    upstreamUrl: str(body["upstream-url"]),
    upstreamApiKey: str(body["upstream-api-key"]),
    upstreamApiKeys: list(body["upstream-api-keys"]).map((item) => {
      const entry = asRecord(item);
      return { upstreamApiKey: str(entry["upstream-api-key"]), apiKeys: strList(entry["api-keys"]) };
    }),
    modelMappings: list(body["model-mappings"]).map((item) => {
      const entry = asRecord(item);
      return { from: str(entry.from), to: str(entry.to) };
    }),
    forceModelMappings: body["force-model-mappings"] === true,
  };
}

export async function getAmpcode(): Promise<AmpcodeSettings> {
  const { body } = await cpaJson("GET", "/ampcode");
  return toAmpcode(body);
}

export type AmpField = keyof AmpcodeSettings;

const PATHS: Record<AmpField, string> = {
  upstreamUrl: "/ampcode/upstream-url",
  upstreamApiKey: "/ampcode/upstream-api-key",
  upstreamApiKeys: "/ampcode/upstream-api-keys",
  modelMappings: "/ampcode/model-mappings",
  forceModelMappings: "/ampcode/force-model-mappings",
};

function wireValue(field: AmpField, settings: AmpcodeSettings): unknown {
  switch (field) {
    case "upstreamApiKeys":
      return settings.upstreamApiKeys.map((k) => ({ "upstream-api-key": k.upstreamApiKey, "api-keys": k.apiKeys }));
    case "modelMappings":
      return settings.modelMappings.map((m) => ({ from: m.from, to: m.to }));
    default:
      return settings[field];
  }
}

/** Writes one part of the section with its own setter. */
export async function putAmpField(field: AmpField, settings: AmpcodeSettings): Promise<void> {
  await cpaJson("PUT", PATHS[field], { body: { value: wireValue(field, settings) } });
}
