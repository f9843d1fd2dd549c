import { describe, expect, it } from "vitest";
import { makeTranslate } from "../../i18n/translate";
import { pricingText } from "./pricing";

const t = makeTranslate("en");

describe("pricingText", () => {
  it("names only the source when the model's own name was priced", () => {
    expect(pricingText({ model: "gpt-5", pricedAs: "gpt-5", match: "exact", source: "litellm" }, t)).toEqual({
      label: "LiteLLM",
      sentence: "Priced by the LiteLLM sync.",
    });
  });

  it("shows the price's name and how it matched when it was not exact", () => {
    const dated = { model: "gpt-5-2025-08-07", pricedAs: "gpt-5", match: "dated", source: "default" };
    expect(pricingText(dated, t)).toEqual({
      label: "built-in · as gpt-5",
      sentence: "Priced by the built-in table as gpt-5 (dated name).",
    });
    const prefixed = { model: "openai/gpt-5", pricedAs: "gpt-5", match: "prefixed", source: "manual" };
    expect(pricingText(prefixed, t).sentence).toBe("Priced by your price as gpt-5 (provider prefix).");
    expect(pricingText(dated, makeTranslate("zh-CN")).label).toBe("内置 · 按 gpt-5");
  });

  it("shows an unknown source or match as the server sent it", () => {
    const odd = { model: "m-x", pricedAs: "m", match: "alias", source: "openrouter" };
    expect(pricingText(odd, t)).toEqual({ label: "openrouter · as m", sentence: "Priced by openrouter as m (alias)." });
  });
});
