import { describe, expect, it } from "vitest";
import statusFixture from "./fixtures/status.json";
import { emptyRangeCauses, publishingEnabled, storedPlace } from "./dataWhereabouts";
import { toServiceStatus, type ServiceStatus } from "./serviceStatus";

const DAY = 86_400_000;
const base = toServiceStatus(statusFixture);
const NEWEST = base.newestEventAt;

function status(change: Partial<ServiceStatus> = {}, collector: Partial<ServiceStatus["collector"]> = {}): ServiceStatus {
  return { ...base, ...change, collector: { ...base.collector, ...collector } };
}

const LATER = { start: NEWEST + DAY, end: NEWEST + 2 * DAY };

describe("storedPlace", () => {
  it("says where the stored events lie against the range", () => {
    expect(storedPlace(status(), LATER)).toBe("older");
    expect(storedPlace(status(), { start: base.oldestEventAt - 2 * DAY, end: base.oldestEventAt })).toBe("newer");
    expect(storedPlace(status(), { start: base.oldestEventAt, end: NEWEST + 1 })).toBe("inside");
    expect(storedPlace(status({ events: 0, oldestEventAt: 0, newestEventAt: 0 }), LATER)).toBe("none");
    expect(storedPlace(null, LATER)).toBe("unknown");
    // A usage service that predates the stored span in /status.
    expect(storedPlace(status({ oldestEventAt: 0, newestEventAt: 0 }), LATER)).toBe("unknown");
  });
});

describe("emptyRangeCauses", () => {
  it("names older stored data, not publishing, when /status knows publishing is on", () => {
    const causes = emptyRangeCauses({ status: status(), cpa: null, window: LATER, filtered: false });
    expect(base.collector.usageStatisticsEnabled).toBe(true);
    expect(causes).toEqual([{ kind: "olderData", newestAt: NEWEST }]);
  });

  it("lists publishing only when it is off or not known, and the collector only when it is not running", () => {
    const off = status({ events: 0, oldestEventAt: 0, newestEventAt: 0 }, { usageStatisticsEnabled: false, state: "error", rawState: "error" });
    expect(emptyRangeCauses({ status: off, cpa: null, window: LATER, filtered: false })).toEqual([
      { kind: "publishing", known: false },
      { kind: "collector", state: "error", rawState: "error" },
    ]);
    expect(emptyRangeCauses({ status: null, cpa: null, window: LATER, filtered: false })).toEqual([
      { kind: "publishing", known: null },
      { kind: "collector", state: null, rawState: "" },
    ]);
  });

  it("blames the filters when the data is in range, and plain quiet when all is well", () => {
    const inside = { start: base.oldestEventAt, end: NEWEST + 1 };
    expect(emptyRangeCauses({ status: status(), cpa: null, window: inside, filtered: true })).toEqual([{ kind: "filtered" }]);
    expect(emptyRangeCauses({ status: status(), cpa: null, window: inside, filtered: false })).toEqual([{ kind: "noTraffic" }]);
  });
});

describe("publishingEnabled", () => {
  it("prefers CPA's own config over the collector's last reading", () => {
    const cpa = { version: "7.2", buildDate: "", usageStatisticsEnabled: false, queueRetentionSeconds: 60 };
    expect(publishingEnabled({ cpa, status: status() })).toBe(false);
    expect(publishingEnabled({ cpa: null, status: status() })).toBe(true);
    expect(publishingEnabled({ cpa: null, status: null })).toBeNull();
  });
});
