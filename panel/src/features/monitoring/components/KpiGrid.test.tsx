import { screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { renderWithI18n } from "../../../testing/render";
import { toKpis } from "../api";
import { KpiGrid } from "./KpiGrid";

describe("KpiGrid", () => {
  it("notes requests whose token breakdown CPA marked inconsistent, and only then", () => {
    const { unmount } = renderWithI18n(<KpiGrid kpis={toKpis({ requests: 5, inconsistentEvents: 2 })} />);
    expect(screen.getByRole("note").textContent).toBe(
      "2 requests had an inconsistent token breakdown from CPA; their tokens were rebuilt from the provider's counts.",
    );
    unmount();
    renderWithI18n(<KpiGrid kpis={toKpis({ requests: 5, inconsistentEvents: 0 })} />);
    expect(screen.queryByRole("note")).toBeNull();
  });
});
