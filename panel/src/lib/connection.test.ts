import { describe, expect, it } from "vitest";
import { detectMode } from "./connection";
import { ApiError, CLIENT_CODES } from "./http";
import { toServiceInfo, type ServiceInfo } from "./serviceStatus";

const ours: ServiceInfo = { service: "cpa-manager", version: "0.1.0", configured: true };

describe("toServiceInfo", () => {
  it("reads the info payload", () => {
    const wire = { service: "cpa-manager", mode: "embedded", version: "0.1.0", configured: false };
    expect(toServiceInfo(wire)).toEqual({ service: "cpa-manager", version: "0.1.0", configured: false });
  });

  it("treats anything but true as not configured", () => {
    expect(toServiceInfo({ configured: "yes" })).toEqual({ service: "", version: "", configured: false });
  });
});

describe("detectMode", () => {
  it("is full mode when this origin is a usage service, ours or the Go one", async () => {
    await expect(detectMode(async () => ours)).resolves.toEqual({ mode: "full", info: ours });
    const legacy = { ...ours, service: "cpa-usage-service" };
    await expect(detectMode(async () => legacy)).resolves.toEqual({ mode: "full", info: legacy });
  });

  it("is CPA panel mode when the origin answers 404 (CPA has no /usage-service/info)", async () => {
    const notFound = async (): Promise<ServiceInfo> => {
      throw new ApiError(404, CLIENT_CODES.httpStatus, "Request failed with HTTP 404");
    };
    await expect(detectMode(notFound)).resolves.toEqual({ mode: "cpa", info: null });
  });

  it("is CPA panel mode when the origin answers as some other service", async () => {
    await expect(detectMode(async () => ({ ...ours, service: "something-else" }))).resolves.toEqual({
      mode: "cpa",
      info: null,
    });
  });

  it("fails when nobody answered, so the page can offer a retry", async () => {
    const down = async (): Promise<ServiceInfo> => {
      throw new ApiError(0, CLIENT_CODES.network, "Cannot reach CPA Manager");
    };
    await expect(detectMode(down)).rejects.toMatchObject({ code: CLIENT_CODES.network });
  });
});
