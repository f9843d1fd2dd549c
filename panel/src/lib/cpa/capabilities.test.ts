import { afterEach, describe, expect, it } from "vitest";
import { ApiError, setFetch } from "../http";
import { detectCapabilities } from "./capabilities";
import { cpaPath } from "./client";
import { isAtLeast, parseCpaVersion } from "./version";

/** A fake CPA: answers by path; anything unlisted is CPA's NoRoute (404, empty body). */
function fakeCpa(version: string | null, routes: Record<string, { status: number; body: string }>): string[] {
  const seen: string[] = [];
  setFetch(async (input) => {
    const url = String(input);
    seen.push(url);
    const route = routes[url] ?? { status: 404, body: "" };
    const headers = new Headers(version === null ? {} : { "X-CPA-VERSION": version });
    return new Response(route.body === "" ? null : route.body, { status: route.status, headers });
  });
  return seen;
}

const CONFIG = { status: 200, body: '{"debug":false}' };

afterEach(() => setFetch((input, init) => fetch(input, init)));

describe("parseCpaVersion", () => {
  it.each([
    ["7.2.140", 7, 2, 140],
    ["v8.0.47", 8, 0, 47],
    ["6.10.8-rc1", 6, 10, 8],
    ["v8", 8, 0, 0],
  ])("reads %s", (raw, major, minor, patch) => {
    expect(parseCpaVersion(raw)).toEqual({ raw, major, minor, patch });
  });

  it.each(["dev", "", "unknown"])("calls %j unknown", (raw) => {
    expect(parseCpaVersion(raw).major).toBeNull();
    expect(isAtLeast(parseCpaVersion(raw), 8)).toBeNull();
  });

  it("compares versions part by part", () => {
    expect(isAtLeast(parseCpaVersion("7.2.0"), 7, 2, 0)).toBe(true);
    expect(isAtLeast(parseCpaVersion("7.1.99"), 7, 2, 0)).toBe(false);
    expect(isAtLeast(parseCpaVersion("8.0.32"), 8, 0, 33)).toBe(false);
    expect(isAtLeast(parseCpaVersion("v8.1.0"), 8, 0, 33)).toBe(true);
    expect(isAtLeast(parseCpaVersion("10.0.0"), 8)).toBe(true);
  });
});

describe("cpaPath", () => {
  it("puts paths under the chosen tree and encodes the query", () => {
    expect(cpaPath("/config")).toBe("/v0/management/config");
    expect(cpaPath("/config/routing/strategy", { tree: "v8" })).toBe("/v8/management/config/routing/strategy");
    expect(cpaPath("/auth-files", { query: { name: ["a b.json", "c.json"], all: undefined, n: 2 } })).toBe(
      "/v0/management/auth-files?name=a+b.json&name=c.json&n=2",
    );
  });
});

describe("detectCapabilities", () => {
  it("trusts a real version header without probing", async () => {
    const seen = fakeCpa("v8.0.47", { "/v0/management/config": CONFIG });
    const caps = await detectCapabilities();
    expect(caps).toMatchObject({ hasV8: true, hasAmpcode: false, credentialExclusionsReplaceGlobal: true });
    expect(seen).toEqual(["/v0/management/config"]);
  });

  it("sees a v7 CPA as v0 only, and an old v7 as still serving Ampcode", async () => {
    fakeCpa("7.2.140", { "/v0/management/config": CONFIG });
    expect(await detectCapabilities()).toMatchObject({ hasV8: false, hasAmpcode: false });
    fakeCpa("7.1.44", { "/v0/management/config": CONFIG });
    expect(await detectCapabilities()).toMatchObject({ hasV8: false, hasAmpcode: true });
  });

  it("probes a dev build: v8 answers its config tree, Ampcode's NoRoute is an empty 404", async () => {
    fakeCpa("dev", { "/v0/management/config": CONFIG, "/v8/management/config": { status: 200, body: "{}" } });
    expect(await detectCapabilities()).toMatchObject({ hasV8: true, hasAmpcode: false });
  });

  it("probes a v7 dev build: /v8 is NoRoute, a JSON 404 still means the route exists", async () => {
    fakeCpa(null, {
      "/v0/management/config": CONFIG,
      "/v0/management/ampcode/upstream-url": { status: 404, body: '{"error":"not_found"}' },
    });
    expect(await detectCapabilities()).toMatchObject({ hasV8: false, hasAmpcode: true });
  });

  it("carries CPA's own sentence when the probe fails otherwise", async () => {
    fakeCpa("7.2.140", { "/v0/management/config": { status: 500, body: '{"error":"read_failed","message":"disk gone"}' } });
    const error = await detectCapabilities().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 500, code: "read_failed", message: "disk gone" });
  });
});
