import { en, type Message, type MessageKey, type Messages } from "./en";
import { zhCN } from "./zh-CN";

export const LANGUAGES = ["en", "zh-CN"] as const;
export type Language = (typeof LANGUAGES)[number];

export const LANGUAGE_NAMES: Record<Language, string> = { en: "English", "zh-CN": "简体中文" };

export const CATALOGS: Record<Language, Messages> = { en, "zh-CN": zhCN };

export type Vars = Readonly<Record<string, string | number>>;
export type Translate = (key: MessageKey, vars?: Vars) => string;

export function isLanguage(value: unknown): value is Language {
  return typeof value === "string" && (LANGUAGES as readonly string[]).includes(value);
}

/** Picks a supported language from browser preferences: any zh* goes to zh-CN, the rest to en. */
export function detectLanguage(preferred: readonly string[]): Language {
  for (const tag of preferred) {
    const lower = tag.toLowerCase();
    if (lower.startsWith("zh")) return "zh-CN";
    if (lower.startsWith("en")) return "en";
  }
  return "en";
}

function pick(message: Message, language: Language, vars: Vars | undefined): string {
  if (typeof message === "string") return message;
  const count = vars?.count;
  if (typeof count === "number" && message.one !== undefined) {
    const rule = new Intl.PluralRules(language).select(count);
    if (rule === "one") return message.one;
  }
  return message.other;
}

/** Replaces {name} placeholders; numbers are formatted for the language, unknown names stay visible. */
export function interpolate(template: string, language: Language, vars: Vars | undefined): string {
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = vars[name];
    if (value === undefined) return whole;
    return typeof value === "number" ? new Intl.NumberFormat(language).format(value) : value;
  });
}

export function makeTranslate(language: Language): Translate {
  const catalog = CATALOGS[language];
  return (key, vars) => interpolate(pick(catalog[key] ?? en[key], language, vars), language, vars);
}
