import { useCallback, useEffect, useMemo, useState } from "react";
import { authApi } from "../features/auth/api";
import { LoginPage } from "../features/auth/LoginPage";
import { clearStoredKey, loadStoredKey, storeKey } from "../features/auth/session";
import type { MessageKey } from "../i18n/en";
import { useI18n } from "../i18n/I18nProvider";
import {
  ConnectionContext,
  detectMode,
  loadUsageServiceUrl,
  storeUsageServiceUrl,
  type Connection,
  type Detection,
} from "../lib/connection";
import { ApiError, setAuthKey, setBase, setSessionAuthority, setUnauthorizedHandler } from "../lib/http";
import { Shell } from "./Shell";

type Session =
  | { phase: "detecting" }
  | { phase: "restoring" }
  | { phase: "signedOut"; notice: MessageKey | null }
  | { phase: "signedIn" };

type DetectState = { detection: Detection; error: null } | { detection: null; error: unknown };

/** A stored key only counts if the server is set up and accepts it. */
async function restore(key: string, detection: Detection): Promise<boolean> {
  if (detection.mode === "full" && !detection.info.configured) return false;
  try {
    await authApi.verify(key, detection.mode);
    return true;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return false;
    throw error;
  }
}

export function App() {
  const { t } = useI18n();
  const [detect, setDetect] = useState<DetectState | null>(null);
  const [session, setSession] = useState<Session>({ phase: "detecting" });
  const [usageServiceUrl, setUsageServiceUrlState] = useState<string | null>(null);

  /**
   * Asks who served the page (again after a sign-out: setup may have happened meanwhile), then
   * tries a stored key. Ends signed out with `notice` unless the stored key still works.
   */
  const runDetection = useCallback((notice: MessageKey | null = null) => {
    detectMode().then(
      (detection) => {
        // Both servers are this origin in full mode; in CPA panel mode the usage service is whatever was connected.
        const external = detection.mode === "cpa" ? loadUsageServiceUrl() : null;
        setBase("cpa", "");
        setBase("usage", detection.mode === "full" ? "" : external);
        setSessionAuthority(detection.mode === "full" ? "usage" : "cpa");
        setUsageServiceUrlState(external);
        setDetect({ detection, error: null });
        const stored = loadStoredKey();
        if (!stored) {
          setSession({ phase: "signedOut", notice });
          return;
        }
        setSession({ phase: "restoring" });
        restore(stored.key, detection).then(
          (ok) => {
            if (!ok) {
              clearStoredKey();
              setSession({ phase: "signedOut", notice });
              return;
            }
            setAuthKey(stored.key);
            setSession({ phase: "signedIn" });
          },
          // The server did not answer: keep the key, say so, and let the login page offer a retry.
          () => setSession({ phase: "signedOut", notice: "auth.session.unverified" }),
        );
      },
      (error: unknown) => {
        setDetect({ detection: null, error });
        setSession({ phase: "signedOut", notice });
      },
    );
  }, []);

  const signOut = useCallback(
    (notice: MessageKey) => {
      clearStoredKey();
      setAuthKey(null);
      // Unmount the shell at once, so nothing keeps polling without a key while we re-check.
      setSession({ phase: "detecting" });
      runDetection(notice);
    },
    [runDetection],
  );

  useEffect(() => {
    setUnauthorizedHandler(() => signOut("auth.session.expired"));
    return () => setUnauthorizedHandler(null);
  }, [signOut]);

  useEffect(() => runDetection(), [runDetection]);

  const signIn = useCallback((key: string, remember: boolean) => {
    storeKey(key, remember);
    setAuthKey(key);
    setSession({ phase: "signedIn" });
  }, []);

  const mode = detect?.detection?.mode ?? "full";
  const connection = useMemo<Connection>(
    () => ({
      mode,
      usageServiceUrl,
      hasUsageService: mode === "full" || usageServiceUrl !== null,
      setUsageServiceUrl: (url) => {
        if (mode !== "cpa") return;
        storeUsageServiceUrl(url);
        setBase("usage", url);
        setUsageServiceUrlState(url);
      },
    }),
    [mode, usageServiceUrl],
  );

  if (session.phase === "detecting" || session.phase === "restoring") {
    return (
      <p role="status" style={{ padding: "2rem" }}>
        {t("auth.page.checking")}
      </p>
    );
  }
  return (
    <ConnectionContext.Provider value={connection}>
      {session.phase === "signedOut" ? (
        <LoginPage
          notice={session.notice}
          detection={detect?.detection ?? null}
          detectError={detect?.error ?? null}
          onRetry={() => runDetection(session.notice === "auth.session.unverified" ? null : session.notice)}
          onLoggedIn={signIn}
        />
      ) : (
        <Shell onLogout={() => signOut("auth.session.loggedOut")} />
      )}
    </ConnectionContext.Provider>
  );
}
