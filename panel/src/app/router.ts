import { useEffect, useState } from "react";

/** Pages the shell knows; a page is listed only once it is built. */
export const ROUTES = [
  "dashboard",
  "monitoring",
  "prices",
  "data",
  "quota",
  "budgets",
  "alerts",
  "config",
  "keys",
  "providers",
  "credentials",
  "inspection",
  "oauth",
  "logs",
  "system",
  "diagnostics",
  "settings",
] as const;

/** The sidebar: pages grouped by whose data they show (ours, CPA's own), then help. Every route appears once. */
export const NAV_GROUPS: readonly { id: "usage" | "watch" | "cpa" | "help"; routes: readonly (typeof ROUTES)[number][] }[] = [
  { id: "usage", routes: ["dashboard", "monitoring", "quota", "prices", "data"] },
  { id: "watch", routes: ["budgets", "alerts"] },
  { id: "cpa", routes: ["config", "keys", "providers", "credentials", "inspection", "oauth", "logs", "system"] },
  { id: "help", routes: ["diagnostics", "settings"] },
];

/** Pages that read the usage service; in CPA panel mode without one they explain how to connect it. */
export const USAGE_ROUTES: readonly Route[] = [
  "dashboard", "monitoring", "quota", "prices", "data", "budgets", "alerts", "inspection",
];
export type Route = (typeof ROUTES)[number] | "notFound";

/** "#/dashboard?x=1" → "dashboard"; an empty hash is the dashboard. */
export function parseHash(hash: string): Route {
  const path = hash.replace(/^#\/?/, "").split(/[?/]/)[0] ?? "";
  if (path === "") return "dashboard";
  return (ROUTES as readonly string[]).includes(path) ? (path as Route) : "notFound";
}

export function hrefFor(route: (typeof ROUTES)[number]): string {
  return `#/${route}`;
}

export function useHashRoute(): Route {
  const [route, setRoute] = useState<Route>(() => parseHash(window.location.hash));
  useEffect(() => {
    const listener = () => setRoute(parseHash(window.location.hash));
    window.addEventListener("hashchange", listener);
    return () => window.removeEventListener("hashchange", listener);
  }, []);
  return route;
}
