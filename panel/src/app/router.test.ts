import { describe, expect, it } from "vitest";
import { NAV_GROUPS, parseHash, ROUTES } from "./router";
import { isTheme } from "./theme";

describe("parseHash", () => {
  it.each([
    ["", "dashboard"],
    ["#", "dashboard"],
    ["#/", "dashboard"],
    ["#/dashboard", "dashboard"],
    ["#/dashboard?range=7d", "dashboard"],
    ["#/monitoring", "monitoring"],
    ["#/monitoring?range=7d&model=gpt-5.4", "monitoring"],
    ["#/prices", "prices"],
    ["#/data", "data"],
    ["#/data?x=1", "data"],
    ["#/diagnostics", "diagnostics"],
    ["#/settings", "settings"],
    ["#/nope", "notFound"],
  ])("%s → %s", (hash, route) => {
    expect(parseHash(hash)).toBe(route);
  });
});

describe("NAV_GROUPS", () => {
  it("lists every page exactly once", () => {
    const listed = NAV_GROUPS.flatMap((group) => group.routes);
    expect([...listed].sort()).toEqual([...ROUTES].sort());
  });
});

describe("isTheme", () => {
  it("accepts only known themes", () => {
    expect(["auto", "dark", "light", "white", null].map(isTheme)).toEqual([true, true, true, false, false]);
  });
});
