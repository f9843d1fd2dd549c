import { useCallback, useEffect, useState } from "react";
import { readStored, writeStored } from "../lib/preferences";

export const THEMES = ["auto", "light", "dark"] as const;
export type Theme = (typeof THEMES)[number];

const STORAGE_KEY = "cpa-manager:theme";

export function isTheme(value: unknown): value is Theme {
  return typeof value === "string" && (THEMES as readonly string[]).includes(value);
}

function systemPrefersDark(): boolean {
  return window.matchMedia?.("(prefers-color-scheme: dark)").matches ?? false;
}

/**
 * The chosen theme and the one in effect. "auto" leaves data-theme unset so tokens.css follows
 * prefers-color-scheme; the resolved value is still tracked so canvas charts can redraw.
 */
export function useTheme(): { theme: Theme; resolved: "light" | "dark"; setTheme: (theme: Theme) => void } {
  const [theme, setThemeState] = useState<Theme>(() => readStored("local", STORAGE_KEY, isTheme) ?? "auto");
  const [systemDark, setSystemDark] = useState(systemPrefersDark);

  useEffect(() => {
    const query = window.matchMedia?.("(prefers-color-scheme: dark)");
    if (!query) return;
    const listener = (event: MediaQueryListEvent) => setSystemDark(event.matches);
    query.addEventListener("change", listener);
    return () => query.removeEventListener("change", listener);
  }, []);

  useEffect(() => {
    const root = document.documentElement;
    if (theme === "auto") delete root.dataset.theme;
    else root.dataset.theme = theme;
  }, [theme]);

  const setTheme = useCallback((next: Theme) => {
    writeStored("local", STORAGE_KEY, next);
    setThemeState(next);
  }, []);

  const resolved = theme === "auto" ? (systemDark ? "dark" : "light") : theme;
  return { theme, resolved, setTheme };
}
