// Runs before each component test file (jsdom): unmount what a test rendered, forget stored
// preferences, and make any fetch a test did not fake fail loudly.
import { cleanup } from "@testing-library/react";
import { afterEach, beforeEach } from "vitest";
import { setAuthKey, setFetch, setUnauthorizedHandler } from "../lib/http";

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
});
