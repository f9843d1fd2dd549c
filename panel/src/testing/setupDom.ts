// Runs before each component test file (jsdom): unmount what a test rendered, forget stored
// preferences and the route, put lib/http back the way a fresh page has it, and make any fetch a
// test did not fake fail loudly.
import { cleanup } from "@testing-library/react";
import { afterEach, beforeEach } from "vitest";
import { setAuthKey, setBase, setFetch, setSessionAuthority, setUnauthorizedHandler } from "../lib/http";

// jsdom has no matchMedia, and uPlot calls it as soon as it is imported (for the pixel ratio).
// Nothing matches: light theme, no reduced motion.
if (!window.matchMedia) {
  window.matchMedia = (query: string): MediaQueryList => ({
    media: query,
    matches: false,
    onchange: null,
    addEventListener: () => undefined,
    removeEventListener: () => undefined,
    addListener: () => undefined,
    removeListener: () => undefined,
    dispatchEvent: () => false,
  });
}

beforeEach(() => {
  setFetch(async (input) => {
    throw new Error(`unexpected fetch ${String(input)}: fake it with fakeServer()`);
  });
});

afterEach(() => {
  cleanup();
  window.localStorage.clear();
  window.sessionStorage.clear();
  setAuthKey(null);
  setUnauthorizedHandler(null);
  // The app shell points these elsewhere in CPA panel mode; a fresh page starts on this origin.
  setBase("usage", "");
  setBase("cpa", "");
  setSessionAuthority("usage");
  window.history.replaceState(null, "", window.location.pathname);
});
