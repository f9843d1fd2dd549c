import { cpaSendRaw, cpaText } from "./client";

/**
 * CPA's config.yaml, the one configuration document every CPA from v6.10 to v8 serves and accepts
 * (cpa-management-api.md §1.2–1.3; cpa-v8.md §3). The v0 path is used on purpose: on v8 it returns
 * the file as it is on disk (flat, or the v8 tree after a v8 write) and PUT accepts either layout,
 * so one page edits both without a second write path.
 */

/** The file's bytes as CPA holds them, comments included. */
export async function getConfigYaml(signal?: AbortSignal): Promise<string> {
  const { text } = await cpaText("GET", "/config.yaml", signal ? { signal } : {});
  return text;
}

/**
 * Replaces the whole file. CPA checks it (400 invalid_yaml, 422 invalid_config: ApiErrors carrying
 * CPA's sentence) and writes the bytes verbatim when it accepts them.
 */
export async function putConfigYaml(text: string): Promise<void> {
  await cpaSendRaw("PUT", "/config.yaml", { data: text, contentType: "application/yaml" });
}
