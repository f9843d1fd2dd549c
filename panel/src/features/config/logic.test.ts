import { describe, expect, it } from "vitest";
import {
  applyDrafts,
  changedFields,
  detectLayout,
  diffValues,
  errorLine,
  FieldYamlError,
  hasConflict,
  lineOfKeyPath,
  parseConfig,
  readDrafts,
  reapplySource,
  refusalLine,
  yamlProblems,
} from "./logic";

const FLAT = `# CPA config (flat)
host: ""
port: 8317 # the listen port

# --- TLS ---
tls:
  enable: false
  cert: ""
  key: ""
remote-management:
  allow-remote: false
  secret-key: "$2a$10$hash" # bcrypt
debug: false
usage-statistics-enabled: true
request-retry: 3
routing:
  strategy: round-robin
api-keys:
  - sk-one # first client
payload:
  default:
    - models:
        - name: gemini-*
      params:
        "generationConfig.thinkingConfig.thinkingBudget": 32768
`;

const V8 = `config-version: 8
# server block
server:
  host: ""
  port: 8317
management:
  allow-remote: true # keep
  secret-key: "$2a$10$hash"
observability:
  usage:
    usage-statistics-enabled: false
  logs:
    debug: true
routing:
  retry:
    request-retry: 1
access:
  api-keys:
    - sk-one
`;

describe("layouts", () => {
  it("tells the v8 tree from the flat file", () => {
    expect(detectLayout(parseConfig(FLAT))).toBe("flat");
    expect(detectLayout(parseConfig(V8))).toBe("v8");
    expect(detectLayout(parseConfig(""))).toBe("flat");
  });

  it("reads the same fields from either layout", () => {
    const flat = readDrafts(parseConfig(FLAT));
    expect(flat.port).toBe("8317");
    expect(flat.usageStatisticsEnabled).toBe(true);
    expect(flat.requestRetry).toBe("3");
    expect(flat.strategy).toBe("round-robin");
    expect(flat.allowRemote).toBe(false);
    expect(flat.payload).toContain("thinkingBudget");
    const v8 = readDrafts(parseConfig(V8));
    expect(v8.port).toBe("8317");
    expect(v8.usageStatisticsEnabled).toBe(false);
    expect(v8.debug).toBe(true);
    expect(v8.requestRetry).toBe("1");
    expect(v8.allowRemote).toBe(true);
    expect(v8.payload).toBe("");
  });

  it("reads a legacy key left in a v8 file (a mixed file CPA accepted)", () => {
    const mixed = `${V8}request-log: true\n`;
    expect(readDrafts(parseConfig(mixed)).requestLog).toBe(true);
  });
});

describe("applyDrafts", () => {
  it("changes nothing when nothing is edited", () => {
    expect(applyDrafts(FLAT, {})).toBe(FLAT);
    expect(applyDrafts(V8, {})).toBe(V8);
  });

  it("sets flat keys in place and keeps every comment", () => {
    const out = applyDrafts(FLAT, { debug: true, requestRetry: "5", strategy: "fill-first" });
    const doc = parseConfig(out);
    expect(doc.getIn(["debug"])).toBe(true);
    expect(doc.getIn(["request-retry"])).toBe(5);
    expect(doc.getIn(["routing", "strategy"])).toBe("fill-first");
    for (const comment of ["# CPA config (flat)", "# the listen port", "# --- TLS ---", "# bcrypt", "# first client"]) {
      expect(out).toContain(comment);
    }
    // Only the three edited lines differ.
    const before = FLAT.split("\n");
    const after = out.split("\n");
    expect(after.length).toBe(before.length);
    expect(after.filter((line, i) => line !== before[i])).toEqual(["debug: true", "request-retry: 5", "  strategy: fill-first"]);
  });

  it("writes v8 fields at their v8 paths, creating missing maps", () => {
    const out = applyDrafts(V8, { debug: false, proxyUrl: "socks5://127.0.0.1:1080", queueRetentionSeconds: "120" });
    const doc = parseConfig(out);
    expect(doc.getIn(["observability", "logs", "debug"])).toBe(false);
    expect(doc.getIn(["requests", "proxy-url"])).toBe("socks5://127.0.0.1:1080");
    expect(doc.getIn(["observability", "usage", "redis-usage-queue-retention-seconds"])).toBe(120);
    expect(doc.hasIn(["proxy-url"])).toBe(false);
    expect(doc.hasIn(["debug"])).toBe(false);
    expect(out).toContain("# server block");
    expect(out).toContain("allow-remote: true # keep");
  });

  it("removes an emptied field and the map it leaves empty", () => {
    const out = applyDrafts(V8, { requestRetry: "" });
    const doc = parseConfig(out);
    expect(doc.hasIn(["routing", "retry", "request-retry"])).toBe(false);
    expect(doc.hasIn(["routing"])).toBe(false);
  });

  it("fills a key written with an empty value (`routing:`)", () => {
    const out = applyDrafts("routing:\ndebug: false\n", { strategy: "weighted-round-robin" });
    expect(parseConfig(out).getIn(["routing", "strategy"])).toBe("weighted-round-robin");
  });

  it("replaces the payload section from its YAML text, keeping its comments", () => {
    const payload = "override:\n  - models:\n      - name: gpt-* # all GPT\n    params:\n      temperature: 0.2\n";
    const out = applyDrafts(FLAT, { payload });
    expect(parseConfig(out).getIn(["payload", "override", 0, "params", "temperature"])).toBe(0.2);
    expect(parseConfig(out).hasIn(["payload", "default"])).toBe(false);
    expect(out).toContain("# all GPT");
  });

  it("refuses a payload that does not parse, naming the field and line", () => {
    expect(() => applyDrafts(FLAT, { payload: "override:\n  - a: [\n" })).toThrow(FieldYamlError);
  });
});

describe("changedFields", () => {
  it("lists the fields whose form value differs", () => {
    const loaded = readDrafts(parseConfig(FLAT));
    expect(changedFields(loaded, { ...loaded, debug: true, port: "9000" })).toEqual(["port", "debug"]);
    expect(changedFields(loaded, loaded)).toEqual([]);
  });
});

describe("yamlProblems", () => {
  it("is empty for valid YAML and points at the line of a syntax error", () => {
    expect(yamlProblems(FLAT)).toEqual([]);
    const problems = yamlProblems("debug: false\nrouting:\n  strategy: [fill-first\nport: 1\n");
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]?.line).toBeGreaterThanOrEqual(3);
    expect(problems[0]?.message).not.toMatch(/at line \d+, column \d+/);
  });

  it("counts a duplicate key as an error, as CPA's yaml.v3 does", () => {
    expect(yamlProblems("debug: false\ndebug: true\n")[0]?.line).toBe(2);
  });
});

describe("CPA's refusals", () => {
  it("finds the line in CPA's yaml messages", () => {
    expect(errorLine("yaml: line 3: mapping values are not allowed in this context")).toBe(3);
    expect(errorLine("yaml: unmarshal errors:\n  line 5: cannot unmarshal !!str `x` into bool")).toBe(5);
    expect(errorLine("credential-in-flight.stale-after must be at least three snapshot intervals")).toBeNull();
  });

  it("finds the line of the key a 422 names", () => {
    const text = "debug: false\nrouting:\n  strategy: nope\ngemini-api-key:\n  - api-key: a\n  - api-key: b\n    weight: 2000000\n";
    expect(lineOfKeyPath("routing.strategy: invalid strategy", text)).toBe(3);
    expect(lineOfKeyPath("gemini-api-key[1].weight: weight must not exceed 1000000", text)).toBe(7);
    expect(lineOfKeyPath("something went wrong", text)).toBeNull();
    expect(refusalLine("yaml: line 2: bad", text)).toBe(2);
  });
});

describe("conflicts and re-applying", () => {
  it("is a conflict whenever CPA's bytes differ", () => {
    expect(hasConflict(FLAT, FLAT)).toBe(false);
    expect(hasConflict(FLAT, FLAT.replace("request-retry: 3", "request-retry: 4"))).toBe(true);
  });

  it("diffs down through maps and treats lists as one value", () => {
    expect(diffValues({ a: { b: 1, c: 2 }, l: [1] }, { a: { b: 1, c: 3 }, l: [1, 2], n: true })).toEqual([
      { path: ["a", "c"], kind: "set", value: 3 },
      { path: ["l"], kind: "set", value: [1, 2] },
      { path: ["n"], kind: "set", value: true },
    ]);
    expect(diffValues({ a: 1, b: 2 }, { a: 1 })).toEqual([{ path: ["b"], kind: "delete" }]);
  });

  it("re-applies source edits on top of a file changed meanwhile, keeping both changes", () => {
    const mine = FLAT.replace("debug: false", "debug: true");
    const theirs = FLAT.replace("request-retry: 3", "request-retry: 7 # theirs");
    const out = reapplySource(FLAT, mine, theirs);
    const doc = parseConfig(out);
    expect(doc.getIn(["debug"])).toBe(true);
    expect(doc.getIn(["request-retry"])).toBe(7);
    expect(out).toContain("# theirs");
  });

  it("re-applies visual edits at the new layout's paths after CPA rewrote the file to v8", () => {
    const out = applyDrafts(V8, { usageStatisticsEnabled: true });
    expect(parseConfig(out).getIn(["observability", "usage", "usage-statistics-enabled"])).toBe(true);
    expect(parseConfig(out).hasIn(["usage-statistics-enabled"])).toBe(false);
  });
});
