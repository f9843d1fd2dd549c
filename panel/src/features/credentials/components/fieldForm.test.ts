import { describe, expect, it } from "vitest";
import type { CredentialFields } from "../../../lib/cpa/credentials";
import { fieldChanges, type FieldForm } from "./fieldForm";

const original: CredentialFields = {
  prefix: "team",
  proxyUrl: "",
  headers: { "X-A": "1", "X-B": "2" },
  priority: 3,
  weight: 10,
  note: "",
  websockets: false,
  excludedModels: ["gpt-4*"],
};
const unchanged: FieldForm = {
  prefix: "team",
  proxyUrl: "",
  headers: "X-A: 1\nX-B: 2",
  priority: "3",
  weight: "10",
  note: "",
  websockets: false,
  excluded: "gpt-4*",
};

describe("fieldChanges", () => {
  it("sends nothing when nothing changed", () => {
    expect(fieldChanges(original, unchanged)).toEqual({});
  });

  it("sends only the changed fields in CPA's names, a removed header as empty and a cleared weight as null", () => {
    const form = { ...unchanged, proxyUrl: " socks5://h:1 ", headers: "X-A: 9", weight: "", websockets: true, excluded: "GPT-4*\nclaude-*" };
    expect(fieldChanges(original, form)).toEqual({
      proxy_url: "socks5://h:1",
      headers: { "X-A": "9", "X-B": "" },
      weight: null,
      websockets: true,
      excluded_models: ["gpt-4*", "claude-*"],
    });
  });
});
