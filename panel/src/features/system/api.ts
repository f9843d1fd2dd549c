import { errorText } from "../../components/ui/errorText";
import type { Translate } from "../../i18n/translate";
import type { PanelMode } from "../../lib/connection";
import { latestCpaVersion, rawCpaConfig } from "../../lib/cpa/system";
import type { CpaCapabilities } from "../../lib/cpa/capabilities";
import { currentAuthKey, http } from "../../lib/http";
import { asRecord, str, strList } from "../../lib/wire";
import { buildBundle, type BundleInputs } from "./bundle";

export const OUR_LOG_LINES = 200;

async function ourLog(): Promise<{ file: string; lines: string[] }> {
  const body = asRecord(await http.get(`/logs/tail?lines=${OUR_LOG_LINES}`));
  return { file: str(body.file), lines: strList(body.lines) };
}

export interface BundleContext {
  mode: PanelMode;
  usageServiceUrl: string | null;
  capabilities: CpaCapabilities | null;
  t: Translate;
}

/**
 * Everything the bundle holds, fetched at once; a part that fails is named under "missing" instead of
 * failing the bundle. Returns the finished (redacted) text.
 */
export async function collectBundle(context: BundleContext): Promise<string> {
  const tree = context.capabilities?.hasV8 ? "v8" : "v0";
  const [status, config, log, latest] = await Promise.allSettled([http.get("/status"), rawCpaConfig(), ourLog(), latestCpaVersion(tree)]);
  const missing: Record<string, string> = {};
  const value = <T,>(name: string, result: PromiseSettledResult<T>): T | null => {
    if (result.status === "fulfilled") return result.value;
    missing[name] = errorText(result.reason, context.t);
    return null;
  };
  const statusBody = value("status", status);
  const inputs: BundleInputs = {
    generatedAt: new Date().toISOString(),
    panel: { mode: context.mode, origin: window.location.origin, usageService: context.usageServiceUrl },
    versions: {
      cpa: context.capabilities?.version.raw ?? "",
      cpaBuildDate: context.capabilities?.buildDate ?? "",
      latestCpa: value("latestCpa", latest),
      cpaManager: statusBody === null ? null : str(asRecord(statusBody).version),
    },
    os: { userAgent: navigator.userAgent, platform: navigator.platform, language: navigator.language },
    status: statusBody,
    cpaConfig: value("cpaConfig", config),
    ourLog: value("ourLog", log),
    missing,
  };
  const key = currentAuthKey();
  return buildBundle(inputs, key ? [key] : []);
}
