import { useCallback, useEffect, useState } from "react";
import { authApi } from "../features/auth/api";
import { LoginPage } from "../features/auth/LoginPage";
import { clearStoredKey, loadStoredKey, storeKey } from "../features/auth/session";
import type { MessageKey } from "../i18n/en";
import { useI18n } from "../i18n/I18nProvider";
import { ApiError, setAuthKey, setUnauthorizedHandler } from "../lib/http";
import { Shell } from "./Shell";

type Session = { phase: "restoring" } | { phase: "signedOut"; notice: MessageKey | null } | { phase: "signedIn" };

/** Tries a stored key once at startup; a key only counts if the server is set up and accepts it. */
async function restore(key: string): Promise<boolean> {
  const info = await authApi.info();
  if (!info.configured) return false;
  try {
    await authApi.verify(key);
    return true;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return false;
    throw error;
  }
}

export function App() {
  const { t } = useI18n();
  const [session, setSession] = useState<Session>(() =>
    loadStoredKey() ? { phase: "restoring" } : { phase: "signedOut", notice: null },
  );

  const signOut = useCallback((notice: MessageKey | null) => {
    clearStoredKey();
    setAuthKey(null);
    setSession({ phase: "signedOut", notice });
  }, []);

  useEffect(() => {
    setUnauthorizedHandler(() => signOut("auth.session.expired"));
    return () => setUnauthorizedHandler(null);
  }, [signOut]);

  useEffect(() => {
    const stored = loadStoredKey();
    if (!stored) return;
    restore(stored.key).then(
      (ok) => {
        if (ok) {
          setAuthKey(stored.key);
          setSession({ phase: "signedIn" });
        } else {
          signOut(null);
        }
      },
      // Server unreachable: show the login page, which explains and offers a retry.
      () => setSession({ phase: "signedOut", notice: null }),
    );
  }, [signOut]);

  const signIn = useCallback((key: string, remember: boolean) => {
    storeKey(key, remember);
    setAuthKey(key);
    setSession({ phase: "signedIn" });
  }, []);

  if (session.phase === "restoring") {
    return (
      <p role="status" style={{ padding: "2rem" }}>
        {t("auth.page.checking")}
      </p>
    );
  }
  if (session.phase === "signedOut") return <LoginPage notice={session.notice} onLoggedIn={signIn} />;
  return <Shell onLogout={() => signOut("auth.session.loggedOut")} />;
}
