import { afterEach, describe, expect, it } from "vitest";
import { setFetch } from "../../lib/http";
import { fakeServer, json } from "../../testing/fakeServer";
import { monitoringApi, toFilterOptions } from "./api";

const WINDOW = { start: 1_000, end: 2_000 };
const RANGE = "start=1000&end=2000&tz=UTC";

afterEach(() => {
  setFetch(() => Promise.reject(new Error("no fetch outside a test's fake server")));
});

describe("filter options", () => {
  it("lists each dimension's values by label, falling back to the key", () => {
    const options = toFilterOptions({
      dimensions: {
        model: [
          { key: "gpt-5.4", label: "gpt-5.4", requests: 9 },
          { key: "claude-sonnet-4-5", label: "claude-sonnet-4-5", requests: 30 },
        ],
        account: [{ key: "3f9c", label: "", requests: 2 }],
      },
    });
    expect(options.model?.map((o) => o.key)).toEqual(["claude-sonnet-4-5", "gpt-5.4"]);
    expect(options.account).toEqual([{ key: "3f9c", label: "3f9c", requests: 2 }]);
    expect(options.endpoint).toEqual([]);
  });

  it("asks the options endpoint once for the whole range", async () => {
    const server = fakeServer({
      [`GET /v0/management/analytics/options?${RANGE}`]: () =>
        json({ dimensions: { provider: [{ key: "openai", label: "openai", requests: 3 }] } }),
    });
    const options = await monitoringApi.options(WINDOW, "UTC");
    expect(options.provider).toEqual([{ key: "openai", label: "openai", requests: 3 }]);
    expect(server.calls).toHaveLength(1);
  });

  it("builds the same lists from the breakdowns when the service predates the options endpoint", async () => {
    const routes = Object.fromEntries(
      ["model", "provider", "account", "apiKey", "endpoint"].map((by) => [
        `GET /v0/management/analytics/breakdown?${RANGE}&by=${by}`,
        () => json({ items: [{ key: `${by}-b`, label: `${by} B`, requests: 1, costUsd: 2 }, { key: `${by}-a`, label: `${by} A`, requests: 5 }] }),
      ]),
    );
    const server = fakeServer(routes);
    const options = await monitoringApi.options(WINDOW, "UTC");
    expect(options.model).toEqual([
      { key: "model-a", label: "model A", requests: 5 },
      { key: "model-b", label: "model B", requests: 1 },
    ]);
    expect(options.apiKey?.map((o) => o.key)).toEqual(["apiKey-a", "apiKey-b"]);
    expect(server.calls.map((c) => c.url)[0]).toBe(`/v0/management/analytics/options?${RANGE}`);
    expect(server.calls).toHaveLength(6);
  });

  it("does not hide other failures behind the fallback", async () => {
    fakeServer({ [`GET /v0/management/analytics/options?${RANGE}`]: () => json({ error: "boom", code: "internal" }, 500) });
    await expect(monitoringApi.options(WINDOW, "UTC")).rejects.toMatchObject({ status: 500 });
  });
});
