// HTTP faked at fetch (through lib/http's setFetch): a table of "METHOD /path?query" → handler.
// Every request is recorded; one with no handler gets a 404, so the component shows the failure.
import { setFetch } from "../lib/http";

export interface FetchCall {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: BodyInit | null | undefined;
}

export type Handler = (call: FetchCall) => Response | Promise<Response>;

export function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

export interface FakeServer {
  calls: FetchCall[];
  /** The recorded calls with this method and URL. */
  callsTo: (method: string, url: string) => FetchCall[];
}

export function fakeServer(routes: Record<string, Handler>): FakeServer {
  const calls: FetchCall[] = [];
  setFetch(async (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const call: FetchCall = {
      method: init?.method ?? "GET",
      url,
      headers: { ...(init?.headers as Record<string, string> | undefined) },
      body: init?.body,
    };
    calls.push(call);
    const handler = routes[`${call.method} ${url}`];
    return handler ? handler(call) : json({ error: `no fake route for ${call.method} ${url}`, code: "not_found" }, 404);
  });
  return { calls, callsTo: (method, url) => calls.filter((c) => c.method === method && c.url === url) };
}
