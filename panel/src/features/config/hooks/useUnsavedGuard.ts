import { useEffect } from "react";

/**
 * While `dirty`, asks before the page goes away: a reload or closed tab (beforeunload) and in-app
 * navigation (a hash change). The hashchange listener runs in the capture phase, which at the window
 * comes before the router's own listener, so a "stay" stops the router from ever seeing the change
 * and puts the old address back without a new history entry.
 */
export function useUnsavedGuard(dirty: boolean, question: string): void {
  useEffect(() => {
    if (!dirty) return;
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      // Older engines only ask when returnValue is set.
      event.returnValue = "";
    };
    const onHashChange = (event: HashChangeEvent) => {
      if (window.confirm(question)) return;
      event.stopImmediatePropagation();
      window.history.replaceState(window.history.state, "", event.oldURL);
    };
    window.addEventListener("beforeunload", onBeforeUnload);
    window.addEventListener("hashchange", onHashChange, true);
    return () => {
      window.removeEventListener("beforeunload", onBeforeUnload);
      window.removeEventListener("hashchange", onHashChange, true);
    };
  }, [dirty, question]);
}
