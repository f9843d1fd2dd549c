import type { MessageKey } from "../../i18n/en";
import type { Translate } from "../../i18n/translate";
import type { PriceMatch } from "./types";

/** Short and sentence names of each price source; an unknown source is shown as the server sent it. */
const SOURCE_SHORT: Record<string, MessageKey> = {
  manual: "monitoring.pricing.sourceManual",
  litellm: "monitoring.pricing.sourceLitellm",
  default: "monitoring.pricing.sourceDefault",
};
const SOURCE_FROM: Record<string, MessageKey> = {
  manual: "monitoring.pricing.fromManual",
  litellm: "monitoring.pricing.fromLitellm",
  default: "monitoring.pricing.fromDefault",
};
const MATCH_NAMES: Record<string, MessageKey> = {
  prefixed: "monitoring.pricing.matchPrefixed",
  dated: "monitoring.pricing.matchDated",
};

function named(table: Record<string, MessageKey>, value: string, t: Translate): string {
  const key = table[value];
  return key ? t(key) : value;
}

export interface PricingText {
  /** Compact: "built-in", or "built-in · as gpt-5" when the model was priced under another name. */
  label: string;
  /** The full sentence, for a title or screen readers. */
  sentence: string;
}

/** How a model was priced, in words: source, and the matched price's name when the match was not exact. */
export function pricingText(match: PriceMatch, t: Translate): PricingText {
  const source = named(SOURCE_SHORT, match.source, t);
  const from = named(SOURCE_FROM, match.source, t);
  if (match.match === "exact" || match.pricedAs === match.model) {
    return { label: source, sentence: t("monitoring.pricing.sentence", { source: from }) };
  }
  return {
    label: t("monitoring.pricing.asModel", { source, model: match.pricedAs }),
    sentence: t("monitoring.pricing.sentenceMatch", {
      source: from,
      model: match.pricedAs,
      match: named(MATCH_NAMES, match.match, t),
    }),
  };
}
