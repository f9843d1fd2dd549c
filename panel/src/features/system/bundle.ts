/**
 * The diagnostic bundle: what a bug report needs, with every secret removed. Two passes: by name
 * (any field named like a key, token, secret or password, every header value) and by shape (strings
 * that look like keys, tokens, JWTs or bcrypt hashes); then every value removed anywhere is also
 * removed wherever else it appears in the bundle (our log, the status), whatever the context.
 */

export const REDACTED = "[redacted]";

const SECRET_NAME = /(key|secret|token|password|passwd|authorization|cookie|bearer)/i;
const HEADERS_NAME = /^headers?$/i;
// Names that say "key" but hold no secret: counts, limits, modes.
const NOT_SECRET_NAME = /^(keepalive|.*-seconds|.*-count|.*-mode)$/i;
const SECRET_SHAPES = [
  /\bsk-[A-Za-z0-9_-]{8,}/g,
  /\bAIza[0-9A-Za-z_-]{20,}/g,
  /\bgh[pousr]_[A-Za-z0-9]{16,}/g,
  /\b(?:xai|hf|sess|pk|rk)[-_][A-Za-z0-9]{16,}/g,
  /\bya29\.[A-Za-z0-9._-]{16,}/g,
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g,
  /\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}/g,
  /(?<![A-Za-z0-9_\-.+/=])[A-Za-z0-9_\-+/=]{32,}(?![A-Za-z0-9_\-.+/=])/g,
];
const BEARER = /\b(bearer\s+)([A-Za-z0-9._~+/=-]{8,})/gi;
const URL_CREDENTIALS = /(\/\/)([^/@\s:]+(?::[^/@\s]*)?)@/g;

export class Redactor {
  /** Every secret removed so far, longest first when applied. */
  readonly found = new Set<string>();

  constructor(known: readonly string[] = []) {
    for (const secret of known) this.remember(secret);
  }

  private remember(secret: string): void {
    if (secret.length >= 4) this.found.add(secret);
  }

  /** Free text: key-shaped values, bearer tokens and URL credentials. */
  text(value: string): string {
    let out = value.replace(BEARER, (_, prefix: string, token: string) => {
      this.remember(token);
      return `${prefix}${REDACTED}`;
    });
    out = out.replace(URL_CREDENTIALS, (_, slashes: string, userinfo: string) => {
      this.remember(userinfo);
      return `${slashes}${REDACTED}@`;
    });
    for (const shape of SECRET_SHAPES) {
      out = out.replace(shape, (match) => {
        this.remember(match);
        return REDACTED;
      });
    }
    return out;
  }

  /**
   * A JSON value. A field with a secret name loses its strings (also inside lists) while objects
   * under it are judged by their own field names, so a provider entry keeps its base-url but not its
   * api-key; a headers map loses every value (Authorization and custom auth headers alike).
   */
  value(value: unknown, mode: "none" | "scalars" | "all" = "none"): unknown {
    if (typeof value === "string") {
      if (mode !== "none" && value !== "") {
        this.remember(value);
        return REDACTED;
      }
      return this.text(value);
    }
    if (typeof value === "number" || typeof value === "boolean" || value === null) return value;
    if (Array.isArray(value)) return value.map((item) => this.value(item, mode));
    if (typeof value === "object") {
      const out: Record<string, unknown> = {};
      for (const [name, item] of Object.entries(value as Record<string, unknown>)) {
        const inner = mode === "all" || HEADERS_NAME.test(name) ? "all" : SECRET_NAME.test(name) && !NOT_SECRET_NAME.test(name) ? "scalars" : "none";
        out[name] = this.value(item, inner);
      }
      return out;
    }
    return null;
  }

  /** Last pass over the finished text: any secret seen anywhere is removed everywhere. */
  everywhere(text: string): string {
    let out = text;
    for (const secret of [...this.found].sort((a, b) => b.length - a.length)) {
      out = out.split(secret).join(REDACTED);
      // The same secret as JSON escapes it (a quote or backslash in a password).
      const escaped = JSON.stringify(secret).slice(1, -1);
      if (escaped !== secret) out = out.split(escaped).join(REDACTED);
    }
    return out;
  }
}

export interface BundleInputs {
  generatedAt: string;
  panel: { mode: string; origin: string; usageService: string | null };
  versions: { cpa: string; cpaBuildDate: string; latestCpa: string | null; cpaManager: string | null };
  os: { userAgent: string; platform: string; language: string };
  status: unknown;
  cpaConfig: unknown;
  ourLog: { file: string; lines: string[] } | null;
  /** Why a part is missing ("status": "No usage service is connected"). */
  missing: Record<string, string>;
}

/** The bundle as pretty JSON, with `known` (the Management Key) and everything secret-looking removed. */
export function buildBundle(inputs: BundleInputs, known: readonly string[]): string {
  const redactor = new Redactor(known);
  const cpaConfig = redactor.value(inputs.cpaConfig);
  const status = redactor.value(inputs.status);
  const ourLog = inputs.ourLog ? { file: inputs.ourLog.file, lines: inputs.ourLog.lines.map((line) => redactor.text(line)) } : null;
  const body = { ...inputs, status, cpaConfig, ourLog };
  return redactor.everywhere(JSON.stringify(body, null, 2));
}
