import { afterEach, describe, expect, it, vi } from "vitest";
import {
  ApiError,
  CLIENT_CODES,
  cpaHttp,
  http,
  setAuthKey,
  setBase,
  setFetch,
  setSessionAuthority,
  setUnauthorizedHandler,
} from "./http";

interface Call {
  url: string;
  init: RequestInit;
}

function fakeFetch(status: number, body: string): { calls: Call[] } {
  const calls: Call[] = [];
  setFetch(async (input, init) => {
    calls.push({ url: String(input), init: init ?? {} });
    return new Response(body === "" ? null : body, { status });
  });
  return { calls };
}

async function caught(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error("expected the request to fail");
}

afterEach(() => {
  setAuthKey(null);
  setUnauthorizedHandler(null);
  setBase("usage", "");
  setBase("cpa", "");
  setSessionAuthority("usage");
});

describe("http", () => {
  it("sends the session key as a bearer token and parses JSON", async () => {
    const { calls } = fakeFetch(200, '{"ok":true}');
    setAuthKey("secret");
    await expect(http.get("/status")).resolves.toEqual({ ok: true });
    expect(calls[0]?.url).toBe("/status");
    expect(calls[0]?.init.headers).toEqual({ Accept: "application/json", Authorization: "Bearer secret" });
  });

  it("sends JSON bodies with a content type", async () => {
    const { calls } = fakeFetch(200, "{}");
    await http.put("/v0/management/usage-statistics-enabled", { value: true });
    expect(calls[0]?.init.method).toBe("PUT");
    expect(calls[0]?.init.body).toBe('{"value":true}');
    expect(calls[0]?.init.headers).toEqual({ Accept: "application/json", "Content-Type": "application/json" });
  });

  it("omits the key for anonymous calls", async () => {
    const { calls } = fakeFetch(200, "{}");
    setAuthKey("secret");
    await http.get("/usage-service/info", { anonymous: true });
    expect(calls[0]?.init.headers).toEqual({ Accept: "application/json" });
  });

  it("turns the server's {error, code} into an ApiError", async () => {
    fakeFetch(502, '{"error":"Cannot reach CPA","code":"cpa_unreachable"}');
    const error = await caught(http.post("/setup", {}));
    expect({ status: error.status, code: error.code, message: error.message }).toEqual({
      status: 502,
      code: "cpa_unreachable",
      message: "Cannot reach CPA",
    });
  });

  it("keeps CPA's own sentence, which comes without a code", async () => {
    fakeFetch(400, '{"error":"invalid body"}');
    const error = await caught(cpaHttp.put("/v0/management/usage-statistics-enabled", { value: true }));
    expect({ code: error.code, message: error.message }).toEqual({ code: CLIENT_CODES.serverSentence, message: "invalid body" });
  });

  it("describes a failure without a JSON body by its status", async () => {
    fakeFetch(500, "<html>oops</html>");
    const error = await caught(http.get("/status"));
    expect({ status: error.status, code: error.code }).toEqual({ status: 500, code: CLIENT_CODES.httpStatus });
  });

  it("reports a network failure as status 0", async () => {
    setFetch(async () => {
      throw new TypeError("Failed to fetch");
    });
    const error = await caught(http.get("/status"));
    expect({ status: error.status, code: error.code }).toEqual({ status: 0, code: CLIENT_CODES.network });
  });

  it("calls onUnauthorized for a 401 on the session key", async () => {
    fakeFetch(401, '{"error":"invalid management key","code":"invalid_management_key"}');
    const handler = vi.fn();
    setUnauthorizedHandler(handler);
    setAuthKey("old");
    await caught(http.get("/status"));
    expect(handler).toHaveBeenCalledTimes(1);
    expect((handler.mock.calls[0]?.[0] as ApiError).code).toBe("invalid_management_key");
  });

  it("leaves a 401 for a key being tried out to the caller", async () => {
    fakeFetch(401, '{"error":"invalid management key","code":"invalid_management_key"}');
    const handler = vi.fn();
    setUnauthorizedHandler(handler);
    const error = await caught(http.get("/status", { key: "guess" }));
    expect(error.status).toBe(401);
    expect(handler).not.toHaveBeenCalled();
  });

  it("rejects a successful response that is not JSON", async () => {
    fakeFetch(200, "not json");
    const error = await caught(http.get("/status"));
    expect(error.code).toBe(CLIENT_CODES.badResponse);
  });

  it("sends each target to its own base and omits cookies for another origin", async () => {
    const { calls } = fakeFetch(200, "{}");
    setBase("usage", "http://127.0.0.1:18317/");
    await http.get("/status");
    await cpaHttp.get("/v0/management/config");
    expect(calls.map((c) => c.url)).toEqual(["http://127.0.0.1:18317/status", "/v0/management/config"]);
    expect(calls.map((c) => c.init.credentials)).toEqual(["omit", "same-origin"]);
  });

  it("refuses usage calls when no usage service is connected", async () => {
    const { calls } = fakeFetch(200, "{}");
    setBase("usage", null);
    const error = await caught(http.get("/status"));
    expect(error.code).toBe(CLIENT_CODES.noUsageService);
    expect(calls).toEqual([]);
  });

  it("signs out only on a 401 from the server the user signed in to", async () => {
    fakeFetch(401, '{"error":"invalid management key"}');
    let signedOut = 0;
    setUnauthorizedHandler(() => signedOut++);
    setSessionAuthority("cpa");
    await caught(http.get("/status")); // an external usage service refusing the key
    expect(signedOut).toBe(0);
    await caught(cpaHttp.get("/v0/management/config"));
    expect(signedOut).toBe(1);
  });
});
