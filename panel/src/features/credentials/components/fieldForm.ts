import type { CredentialFields } from "../../../lib/cpa/credentials";
import type { Json } from "../../../lib/wire";
import { parseHeaders, parsePatterns } from "../logic";

/** The editor's text inputs. */
export interface FieldForm {
  prefix: string;
  proxyUrl: string;
  headers: string;
  priority: string;
  weight: string;
  note: string;
  websockets: boolean;
  excluded: string;
}

function numberOrNull(text: string): number | null {
  return text.trim() === "" ? null : Number(text.trim());
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The PATCH body for what the user changed, in CPA's field names. Headers are merged by CPA, so a removed
 * header is sent with an empty value (CPA deletes it); a cleared weight is null (CPA removes it).
 */
export function fieldChanges(original: CredentialFields, form: FieldForm): Json {
  const out: Json = {};
  if (form.prefix.trim() !== original.prefix) out.prefix = form.prefix.trim();
  if (form.proxyUrl.trim() !== original.proxyUrl) out.proxy_url = form.proxyUrl.trim();
  const priority = numberOrNull(form.priority);
  if (priority !== original.priority) out.priority = priority ?? 0;
  const weight = numberOrNull(form.weight);
  if (weight !== original.weight) out.weight = weight;
  if (form.note.trim() !== original.note) out.note = form.note.trim();
  if (form.websockets !== original.websockets) out.websockets = form.websockets;
  const excluded = parsePatterns(form.excluded);
  if (!same(excluded, original.excludedModels)) out.excluded_models = excluded;
  const { headers } = parseHeaders(form.headers);
  if (!same(headers, original.headers)) {
    const patch: Record<string, string> = { ...headers };
    for (const name of Object.keys(original.headers)) if (!(name in headers)) patch[name] = "";
    out.headers = patch;
  }
  return out;
}
