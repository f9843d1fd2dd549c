import { useCallback, useEffect, useRef, useState } from "react";
import { errorText } from "../../../components/ui/errorText";
import { useI18n } from "../../../i18n/I18nProvider";
import { credentialRoutes, credentialsApi } from "../../../lib/cpa/credentials";
import { oauthApi, type LoginStart } from "../../../lib/cpa/oauth";
import { loginTimeoutMs, POLL_MS, savedBy } from "../logic";

export type LoginState =
  | { phase: "idle" }
  | { phase: "starting" }
  | { phase: "waiting"; start: LoginStart }
  | { phase: "done"; saved: string[] }
  | { phase: "failed"; message: string }
  | { phase: "cancelled" }
  | { phase: "timedOut" };

export interface Login {
  state: LoginState;
  begin: () => void;
  cancel: () => void;
  submitCallback: (url: string) => Promise<string | null>;
}

/**
 * One provider's login: start, poll the status every POLL_MS until ok, error, cancel or timeout. Exactly one
 * timer exists while waiting and none afterwards (unmounting the card stops it too), so nothing keeps polling
 * a finished flow.
 */
export function useLogin(hasV8: boolean, provider: string): Login {
  const { t } = useI18n();
  const [state, setState] = useState<LoginState>({ phase: "idle" });
  const timer = useRef<number | null>(null);
  const flow = useRef(0);
  const before = useRef<string[]>([]);

  const stop = useCallback(() => {
    flow.current++;
    if (timer.current !== null) window.clearTimeout(timer.current);
    timer.current = null;
  }, []);
  useEffect(() => stop, [stop]);

  const list = useCallback(() => credentialsApi(credentialRoutes(hasV8)).list(), [hasV8]);

  const poll = useCallback((mine: number, start: LoginStart, deadline: number) => {
    timer.current = window.setTimeout(async () => {
      timer.current = null;
      if (mine !== flow.current) return;
      if (Date.now() > deadline) {
        stop();
        setState({ phase: "timedOut" });
        await oauthApi.cancel(hasV8, start.state).catch(() => false); // best effort: CPA expires it anyway
        return;
      }
      try {
        const status = await oauthApi.status(hasV8, start.state);
        if (mine !== flow.current) return;
        if (status.status === "wait") return poll(mine, start, deadline);
        stop();
        if (status.status === "error") return setState({ phase: "failed", message: status.message });
        const after = await list().catch(() => []);
        setState({ phase: "done", saved: savedBy(provider, before.current, after) });
      } catch (cause) {
        if (mine !== flow.current) return;
        stop();
        setState({ phase: "failed", message: errorText(cause, t) });
      }
    }, POLL_MS);
  }, [hasV8, list, provider, stop, t]);

  const begin = useCallback(() => {
    stop();
    const mine = flow.current;
    setState({ phase: "starting" });
    void (async () => {
      try {
        before.current = (await list().catch(() => [])).map((c) => c.name);
        const start = await oauthApi.start(hasV8, provider);
        if (mine !== flow.current) return;
        setState({ phase: "waiting", start });
        poll(mine, start, Date.now() + loginTimeoutMs(start.expiresInS, start.flow === "device"));
      } catch (cause) {
        if (mine === flow.current) setState({ phase: "failed", message: errorText(cause, t) });
      }
    })();
  }, [hasV8, list, poll, provider, stop, t]);

  const cancel = useCallback(() => {
    const current = state;
    stop();
    setState({ phase: "cancelled" });
    if (current.phase === "waiting") void oauthApi.cancel(hasV8, current.start.state).catch(() => false);
  }, [hasV8, state, stop]);

  const submitCallback = useCallback(async (url: string): Promise<string | null> => {
    try {
      await oauthApi.callback(hasV8, provider, url.trim());
      return null;
    } catch (cause) {
      return errorText(cause, t);
    }
  }, [hasV8, provider, t]);

  return { state, begin, cancel, submitCallback };
}
