import { describe, expect, it } from "vitest";
import { defaultCpaUrl, validateConnectForm } from "./logic";

describe("validateConnectForm", () => {
  it("accepts two http(s) addresses", () => {
    expect(validateConnectForm("http://127.0.0.1:18317/", "https://cpa.example:8317")).toEqual({});
  });

  it("names each bad address", () => {
    expect(validateConnectForm("127.0.0.1:18317", "")).toEqual({
      serviceUrl: "settings.usageService.urlInvalid",
      cpaUrl: "settings.usageService.urlInvalid",
    });
  });
});

describe("defaultCpaUrl", () => {
  it("is the page's origin when CPA served the page", () => {
    expect(defaultCpaUrl("http://192.168.1.5:8317")).toBe("http://192.168.1.5:8317");
  });

  it("is empty for a page without an http origin", () => {
    expect(defaultCpaUrl("null")).toBe("");
    expect(defaultCpaUrl("file://")).toBe("");
  });
});
