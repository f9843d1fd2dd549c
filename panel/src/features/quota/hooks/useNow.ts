import { useSyncExternalStore } from "react";

/**
 * The time, ticking once a second for every countdown on the page from one timer: each countdown
 * re-renders on its own, so the cards around it (and their sparklines) do not.
 */
let now = Date.now();
let timer: number | null = null;
const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (timer === null) {
    now = Date.now();
    timer = window.setInterval(() => {
      now = Date.now();
      for (const l of listeners) l();
    }, 1000);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer !== null) {
      window.clearInterval(timer);
      timer = null;
    }
  };
}

/** Stable between ticks (React requires it); with no timer running it catches up to the second. */
function snapshot(): number {
  if (timer === null && Date.now() - now >= 1000) now = Date.now();
  return now;
}

export function useNow(): number {
  return useSyncExternalStore(subscribe, snapshot);
}
