import { describe, expect, it } from "vitest";
import { toEntries, toWire, type ProviderEntry } from "../../lib/cpa/providers";
import type { AmpcodeSettings } from "../../lib/cpa/ampcode";
import {
  ampConflicts,
  applyEntryChange,
  changedAmpFields,
  emptyForm,
  entryFromForm,
  findCurrent,
  formFromEntry,
  validateForm,
  type EntryForm,
} from "./logic";

const GEMINI = {
  "gemini-api-key": [
    {
      "api-key": "AIza-one",
      prefix: "team",
      weight: 5,
      headers: { "X-Trace": "1" },
      models: [{ name: "gemini-2.5-pro", alias: "pro", "force-mapping": true }],
      "excluded-models": ["*-preview"],
      "request-scoped-errors": [{ status: 429, match: ["quota"], action: "stop" }],
      "auth-index": "aaaaaaaaaaaaaaaa",
    },
    { "api-key": "AIza-two", "auth-index": "bbbbbbbbbbbbbbbb" },
  ],
};
const COMPAT = {
  "openai-compatibility": [
    {
      name: "openrouter",
      disabled: false,
      "base-url": "https://openrouter.example/api/v1",
      "api-key-entries": [{ "api-key": "sk-or-1", "proxy-url": "socks5://p:1080", "auth-index": "cccccccccccccccc" }],
      models: [{ name: "kimi-k2", alias: "k2" }],
      "support-prompt-cache-key": true,
    },
  ],
};

describe("wire conversion", () => {
  it("reads a key family, keeping CPA's auth-index apart from what goes back", () => {
    const [first, second] = toEntries("gemini-api-key", GEMINI);
    expect(first).toMatchObject({
      kind: "key",
      apiKey: "AIza-one",
      prefix: "team",
      weight: 5,
      priority: null,
      headers: [["X-Trace", "1"]],
      excludedModels: ["*-preview"],
      authIndex: "aaaaaaaaaaaaaaaa",
    });
    expect(second?.authIndex).toBe("bbbbbbbbbbbbbbbb");
    expect(first && toWire(first)).toEqual({
      "api-key": "AIza-one",
      prefix: "team",
      weight: 5,
      headers: { "X-Trace": "1" },
      models: [{ name: "gemini-2.5-pro", alias: "pro", "force-mapping": true }],
      "excluded-models": ["*-preview"],
      "request-scoped-errors": [{ status: 429, match: ["quota"], action: "stop" }],
    });
  });

  it("reads null as an empty family", () => {
    expect(toEntries("codex-api-key", { "codex-api-key": null })).toEqual([]);
  });

  it("round-trips an OpenAI-compatible provider with fields the page does not edit", () => {
    const [entry] = toEntries("openai-compatibility", COMPAT);
    expect(entry?.kind).toBe("compat");
    if (entry?.kind !== "compat") return;
    expect(entry.keys).toEqual([{ apiKey: "sk-or-1", proxyUrl: "socks5://p:1080", weight: null, authIndex: "cccccccccccccccc", raw: { "api-key": "sk-or-1", "proxy-url": "socks5://p:1080" } }]);
    const { "api-key-entries": keys, ...rest } = COMPAT["openai-compatibility"][0] ?? {};
    expect(toWire(entry)).toEqual({ ...rest, "api-key-entries": (keys ?? []).map((k) => ({ "api-key": k["api-key"], "proxy-url": k["proxy-url"] })) });
  });

  it.each(["gemini-api-key", "codex-api-key", "claude-api-key", "vertex-api-key", "xai-api-key", "interactions-api-key", "meta-api-key"])(
    "edits %s through the form without losing other fields",
    (family) => {
      const wire = { [family]: [{ "api-key": "k1", "base-url": "https://b.example", cloak: { mode: "auto" }, websockets: true, "auth-index": "x" }] };
      const [entry] = toEntries(family, wire);
      if (!entry) throw new Error("no entry");
      const form: EntryForm = { ...formFromEntry(entry), prefix: " /team ", weight: "10", priority: "3", excludedModels: "a\n\n b ,c" };
      form.models = [{ name: "m", alias: "", raw: {} }];
      expect(toWire(entryFromForm(form, family, entry))).toEqual({
        "api-key": "k1",
        "base-url": "https://b.example",
        cloak: { mode: "auto" },
        websockets: true,
        prefix: "/team",
        weight: 10,
        priority: 3,
        "excluded-models": ["a", "b", "c"],
        models: [{ name: "m" }],
      });
    },
  );

  it("drops empty optional fields instead of sending empty values", () => {
    const form = { ...emptyForm("claude-api-key"), apiKey: "k", headers: [{ name: "", value: "" }] };
    expect(toWire(entryFromForm(form, "claude-api-key", null))).toEqual({ "api-key": "k" });
  });
});

describe("validation says what CPA would do before saving", () => {
  const base = (family: string, patch: Partial<EntryForm> = {}) => ({ ...emptyForm(family), apiKey: "k", ...patch });

  it.each(["codex-api-key", "xai-api-key"])("refuses %s without a base URL (CPA drops it silently)", (family) => {
    expect(validateForm(base(family), family)).toEqual({ baseUrl: "baseUrlDropped" });
    expect(validateForm(base(family, { baseUrl: "https://api.example/v1" }), family)).toEqual({});
  });

  it("refuses an OpenAI-compatible provider without a base URL or name", () => {
    expect(validateForm(emptyForm("openai-compatibility"), "openai-compatibility")).toEqual({ baseUrl: "baseUrlDropped", name: "nameRequired" });
  });

  it("keeps weight within 0..1000000", () => {
    expect(validateForm(base("gemini-api-key", { weight: "1000001" }), "gemini-api-key")).toEqual({ weight: "weightRange" });
    expect(validateForm(base("gemini-api-key", { weight: "-1" }), "gemini-api-key")).toEqual({ weight: "weightRange" });
    expect(validateForm(base("gemini-api-key", { weight: "1.5" }), "gemini-api-key")).toEqual({ weight: "weightRange" });
    expect(validateForm(base("gemini-api-key", { weight: "0" }), "gemini-api-key")).toEqual({});
    expect(validateForm(base("gemini-api-key", { weight: "1000000" }), "gemini-api-key")).toEqual({});
    const compat = { ...emptyForm("openai-compatibility"), name: "n", baseUrl: "https://x.example" };
    compat.keys = [{ apiKey: "k", proxyUrl: "", weight: "2000000", authIndex: null, raw: {} }];
    expect(validateForm(compat, "openai-compatibility")).toEqual({ "keys.0.weight": "weightRange" });
  });

  it("needs a key for Vertex, and a key or base URL for Gemini", () => {
    expect(validateForm(emptyForm("vertex-api-key"), "vertex-api-key")).toEqual({ apiKey: "vertexKeyRequired" });
    expect(validateForm(emptyForm("gemini-api-key"), "gemini-api-key")).toEqual({ apiKey: "keyOrBaseRequired" });
    expect(validateForm({ ...emptyForm("gemini-api-key"), baseUrl: "https://g.example" }, "gemini-api-key")).toEqual({});
  });

  it("checks URLs, proxies, priorities, header names and Vertex aliases", () => {
    const form = base("vertex-api-key", {
      baseUrl: "ftp://x",
      proxyUrl: "socks4://p",
      priority: "high",
      headers: [{ name: "", value: "v" }],
      models: [{ name: "gemini-2.5-pro", alias: "", raw: {} }],
    });
    expect(validateForm(form, "vertex-api-key")).toEqual({
      baseUrl: "urlInvalid",
      proxyUrl: "proxyInvalid",
      priority: "priorityInteger",
      "headers.0.name": "headerName",
      "models.0.alias": "modelAliasRequired",
    });
    expect(validateForm(base("claude-api-key", { proxyUrl: "direct" }), "claude-api-key")).toEqual({});
  });
});

describe("read-modify-write keeps concurrent edits", () => {
  const list = (...keys: string[]): ProviderEntry[] => toEntries("claude-api-key", { "claude-api-key": keys.map((k) => ({ "api-key": k })) });
  const [a, b] = list("a", "b");
  if (!a || !b) throw new Error("fixture");
  const edited = (entry: ProviderEntry, prefix: string) => ({ ...entry, prefix });

  it("edits the target in CPA's current list, keeping entries others added", () => {
    const current = list("new-elsewhere", "a", "b");
    const result = applyEntryChange(current, { kind: "edit", index: 1, original: b, entry: edited(b, "p") });
    expect(result.ok && result.entries.map(toWire)).toEqual([{ "api-key": "new-elsewhere" }, { "api-key": "a" }, { "api-key": "b", prefix: "p" }]);
  });

  it("refuses when the target itself changed meanwhile", () => {
    const current = toEntries("claude-api-key", { "claude-api-key": [{ "api-key": "a", prefix: "other-tab" }, { "api-key": "b" }] });
    expect(applyEntryChange(current, { kind: "edit", index: 0, original: a, entry: edited(a, "mine") })).toEqual({ ok: false, reason: "changed" });
    expect(applyEntryChange(current, { kind: "delete", index: 0, original: a })).toEqual({ ok: false, reason: "changed" });
    // The re-apply target: the same key in CPA's current list.
    expect(findCurrent(current, 0, a)).toBe(0);
  });

  it("ignores auth-index changes (CPA adds it a moment after a write)", () => {
    const current = toEntries("claude-api-key", { "claude-api-key": [{ "api-key": "a", "auth-index": "0123456789abcdef" }, { "api-key": "b" }] });
    expect(applyEntryChange(current, { kind: "delete", index: 0, original: a })).toMatchObject({ ok: true });
  });

  it("deletes the entry where it now is, and refuses a duplicate add", () => {
    const result = applyEntryChange(list("x", "a", "b"), { kind: "delete", index: 0, original: a });
    expect(result.ok && result.entries.map((e) => (e.kind === "key" ? e.apiKey : ""))).toEqual(["x", "b"]);
    expect(applyEntryChange(list("a"), { kind: "add", entry: a })).toEqual({ ok: false, reason: "duplicate" });
  });
});

describe("Ampcode writes only what changed, and only if CPA still has it as loaded", () => {
  const loaded: AmpcodeSettings = { upstreamUrl: "https://amp", upstreamApiKey: "", upstreamApiKeys: [], modelMappings: [], forceModelMappings: false };
  it("lists the changed parts and the conflicting ones", () => {
    const edited = { ...loaded, upstreamUrl: "https://amp2", modelMappings: [{ from: "a", to: "b" }] };
    const fields = changedAmpFields(loaded, edited);
    expect(fields).toEqual(["upstreamUrl", "modelMappings"]);
    expect(ampConflicts(loaded, { ...loaded, forceModelMappings: true }, fields)).toEqual([]);
    expect(ampConflicts(loaded, { ...loaded, upstreamUrl: "https://other" }, fields)).toEqual(["upstreamUrl"]);
  });
});
