import { describe, expect, it } from "vitest";
import { normalizeBaseUrl } from "../../lib/url";
import { validateSetupForm } from "./logic";

describe("normalizeBaseUrl", () => {
  it("trims spaces and trailing slashes", () => {
    expect(normalizeBaseUrl("  http://127.0.0.1:8317// ")).toBe("http://127.0.0.1:8317");
  });
});

describe("validateSetupForm", () => {
  it("accepts a URL and key", () => {
    expect(validateSetupForm("http://127.0.0.1:8317", "k", true)).toEqual({});
  });

  it("names every missing field", () => {
    expect(validateSetupForm(" ", " ", true)).toEqual({ url: "auth.form.urlRequired", key: "auth.form.keyRequired" });
  });

  it("rejects an address without a scheme", () => {
    expect(validateSetupForm("127.0.0.1:8317", "k", true)).toEqual({ url: "auth.form.urlInvalid" });
  });

  it("ignores the URL when only the key is asked for", () => {
    expect(validateSetupForm("", "k", false)).toEqual({});
  });
});
