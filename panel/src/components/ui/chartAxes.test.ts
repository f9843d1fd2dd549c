import { describe, expect, it } from "vitest";
import { axisWidth, WHOLE_STEPS } from "./chartAxes";

describe("chart axes", () => {
  it("has a whole-number step for a few ticks over any range up to trillions", () => {
    for (const max of [3, 450, 20_000_000, 7_000_000_000, 4_000_000_000_000]) {
      const step = WHOLE_STEPS.find((s) => max / s <= 5);
      expect(step, `a step for ${max}`).toBeDefined();
      expect(max / (step ?? 1)).toBeGreaterThanOrEqual(1);
    }
  });

  it("widens for long labels and keeps a minimum for short ones", () => {
    expect(axisWidth(["0", "5"])).toBe(48);
    expect(axisWidth(["$0.00", "$12,345.67"])).toBeGreaterThan(axisWidth(["$0.00", "$1.00"]));
    expect(axisWidth([])).toBe(48);
  });
});
