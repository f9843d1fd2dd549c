import { describe, expect, it } from "vitest";
import { isNewerRelease } from "../../lib/cpa/system";
import { bundleFileName, uiSettingKeys } from "./logic";

describe("uiSettingKeys", () => {
  it("resets the panel's preferences but keeps the login and the usage service address", () => {
    expect(
      uiSettingKeys(["cpa-manager:theme", "cpa-manager:language", "cpa-manager:management-key", "cpa-manager:usage-service-url", "other"]),
    ).toEqual(["cpa-manager:theme", "cpa-manager:language"]);
  });
});

describe("isNewerRelease", () => {
  it("compares CPA versions with or without the v", () => {
    expect(isNewerRelease("v7.2.141", "7.2.140")).toBe(true);
    expect(isNewerRelease("v8.0.0", "v7.3.8")).toBe(true);
    expect(isNewerRelease("v7.2.140", "v7.2.140")).toBe(false);
    expect(isNewerRelease("v7.2.139", "v7.2.140")).toBe(false);
    expect(isNewerRelease("v7.2.141", "dev")).toBeNull();
  });
});

describe("bundleFileName", () => {
  it("names the file after the moment, without colons", () => {
    expect(bundleFileName(new Date("2026-12-05T22:01:02Z"))).toBe("cpa-manager-diagnostics-2026-12-05T220102.json");
  });
});
