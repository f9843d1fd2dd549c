import { describe, expect, it } from "vitest";
import { en } from "./en";
import { zhCN } from "./zh-CN";
import { detectLanguage, interpolate, makeTranslate } from "./translate";

function placeholders(message: string | { one?: string; other: string }): string[] {
  const texts = typeof message === "string" ? [message] : [message.other, message.one ?? ""];
  return [...new Set(texts.flatMap((text) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? "")))].sort();
}

describe("locales", () => {
  it("zh-CN has exactly the keys of en", () => {
    expect(Object.keys(zhCN).sort()).toEqual(Object.keys(en).sort());
  });

  it("zh-CN uses the same placeholders as en", () => {
    const mismatched = Object.keys(en).filter((key) => {
      const k = key as keyof typeof en;
      return placeholders(en[k]).join() !== placeholders(zhCN[k]).join();
    });
    expect(mismatched).toEqual([]);
  });

  it("keys follow area.component.item in camelCase", () => {
    const bad = Object.keys(en).filter((key) => !/^[a-z][a-zA-Z0-9]*(\.[a-z][a-zA-Z0-9]*){2}$/.test(key));
    expect(bad).toEqual([]);
  });
});

describe("translate", () => {
  it("interpolates and formats numbers for the language", () => {
    expect(interpolate("{n} of {m}", "en", { n: 1234, m: "x" })).toBe("1,234 of x");
  });

  it("keeps unknown placeholders visible", () => {
    expect(interpolate("hi {name}", "en", {})).toBe("hi {name}");
  });

  it("chooses plural forms by count", () => {
    const t = makeTranslate("en");
    expect(t("dashboard.kpi.unpriced", { count: 1 })).toBe("Unpriced: 1 request");
    expect(t("dashboard.kpi.unpriced", { count: 300 })).toBe("Unpriced: 300 requests");
    expect(makeTranslate("zh-CN")("dashboard.kpi.unpriced", { count: 1 })).toBe("未定价：1 个请求");
  });

  it("detects the language from browser preferences", () => {
    expect(detectLanguage(["zh-TW", "en"])).toBe("zh-CN");
    expect(detectLanguage(["fr", "en-GB"])).toBe("en");
    expect(detectLanguage([])).toBe("en");
  });
});
