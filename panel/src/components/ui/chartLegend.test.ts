import { describe, expect, it } from "vitest";
import { makeTranslate } from "../../i18n/translate";
import { seriesLegendValue, timeLegend } from "./chartLegend";

describe("chart legend", () => {
  it("names the time column in the page's language and reads 'Total' when nothing is hovered", () => {
    const t = makeTranslate("zh-CN");
    const legend = timeLegend({ time: t("common.chart.time"), total: t("common.chart.total") }, (s) => `@${s}`);
    expect(legend.label).toBe("时间");
    expect(legend.value(null, null)).toBe("合计");
    expect(legend.value(null, 3600)).toBe("@3600");
  });

  it("shows a series' total over the range when nothing is hovered, the point's value when one is", () => {
    const value = seriesLegendValue([1, 0, 4], (v) => `${v} req`);
    expect(value(null, null)).toBe("5 req");
    expect(value(null, 4)).toBe("4 req");
    expect(value(null, 0)).toBe("0 req");
  });

  it("reads a hovered point with no value (inside a gap) as unknown, not as the total", () => {
    const value = seriesLegendValue([1, 0, 4], (v) => `${v} req`, "Not collected");
    expect(value(null, null, 1, 2)).toBe("Not collected");
    expect(value(null, null, 1, null)).toBe("5 req");
  });
});
