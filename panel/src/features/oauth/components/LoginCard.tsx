import { useId, useState, type FormEvent } from "react";
import { Alert } from "../../../components/ui/Alert";
import { Button } from "../../../components/ui/Button";
import formStyles from "../../../components/ui/Form.module.css";
import surface from "../../../components/ui/Surface.module.css";
import { useI18n } from "../../../i18n/I18nProvider";
import type { OauthProvider } from "../../../lib/cpa/oauth";
import { useLogin } from "../hooks/useLogin";
import styles from "./OAuth.module.css";

const NAMES: Readonly<Record<string, string>> = {
  codex: "Codex (OpenAI)",
  claude: "Claude (Anthropic)",
  antigravity: "Antigravity",
  xai: "xAI (Grok)",
  kimi: "Kimi (kimi.com)",
  "kimi-ai": "Kimi (kimi.ai)",
  devin: "Devin",
  meta: "Meta",
};

export function providerName(id: string): string {
  return NAMES[id] ?? id;
}

/** One provider's login: the URL with copy and open, the device code, polling, cancel and the pasted callback. */
interface Props {
  provider: OauthProvider;
  hasV8: boolean;
  /** Inside another card (a plugin provider's): no card frame or title of its own. */
  embedded?: boolean;
}

export function LoginCard({ provider, hasV8, embedded }: Props) {
  const { t } = useI18n();
  const ids = useId();
  const login = useLogin(hasV8, provider.id);
  const [callback, setCallback] = useState("");
  const [callbackNote, setCallbackNote] = useState<{ ok: boolean; text: string } | null>(null);
  const [copied, setCopied] = useState(false);
  const state = login.state;
  const name = providerName(provider.id);

  const copy = async (url: string) => {
    try {
      await navigator.clipboard.writeText(url);
      setCopied(true);
    } catch {
      setCopied(false); // no clipboard permission: the URL is on screen to copy by hand
    }
  };

  const sendCallback = async (event: FormEvent) => {
    event.preventDefault();
    const problem = await login.submitCallback(callback);
    setCallbackNote(problem === null ? { ok: true, text: t("oauth.login.callbackSent") } : { ok: false, text: problem });
    if (problem === null) setCallback("");
  };

  const Frame = embedded ? "div" : "section";
  return (
    <Frame className={embedded ? styles.card : `${surface.card} ${styles.card}`} aria-labelledby={embedded ? undefined : `${ids}-title`}>
      {embedded ? null : <h3 id={`${ids}-title`} className={styles.cardTitle}>{name}</h3>}
      {embedded ? null : (
        <p className={formStyles.hint}>{provider.flow === "device" ? t("oauth.login.deviceHint") : t("oauth.login.browserHint")}</p>
      )}
      {state.phase === "waiting" ? (
        <div className={styles.waiting}>
          {state.start.userCode ? (
            <p>
              {t("oauth.login.userCode")} <code className={styles.code} aria-label={t("oauth.login.userCode")}>{state.start.userCode}</code>
            </p>
          ) : null}
          <label className={formStyles.compactField} htmlFor={`${ids}-url`}>
            {t("oauth.login.url")}
            <input id={`${ids}-url`} readOnly value={state.start.url} onFocus={(e) => e.target.select()} />
          </label>
          <div className={styles.buttons}>
            <Button onClick={() => void copy(state.start.url)}>{copied ? t("oauth.login.copied") : t("oauth.login.copy")}</Button>
            <a className={styles.linkButton} href={state.start.url} target="_blank" rel="noopener noreferrer">{t("oauth.login.open")}</a>
            <Button onClick={login.cancel}>{t("oauth.login.cancel")}</Button>
          </div>
          <p role="status" className={formStyles.hint}>{t("oauth.login.waiting")}</p>
          {state.start.flow === "browser" ? (
            <form onSubmit={sendCallback} className={formStyles.field}>
              <label htmlFor={`${ids}-cb`}>{t("oauth.login.callbackLabel")}</label>
              <input id={`${ids}-cb`} value={callback} onChange={(e) => setCallback(e.target.value)} placeholder="http://localhost:…/callback?code=…&state=…" />
              <span className={formStyles.hint}>{t("oauth.login.callbackHint")}</span>
              <div>
                <Button type="submit" disabled={callback.trim() === ""}>{t("oauth.login.callbackSend")}</Button>
              </div>
            </form>
          ) : null}
          {callbackNote ? <Alert tone={callbackNote.ok ? "info" : "error"}>{callbackNote.text}</Alert> : null}
        </div>
      ) : null}
      {state.phase === "done" ? (
        <Alert tone="success" title={t("oauth.login.done")}>
          {state.saved.length > 0 ? (
            state.saved.map((saved) => (
              <a key={saved} href={`#/credentials?highlight=${encodeURIComponent(saved)}`}>{t("oauth.login.viewNew", { name: saved })}</a>
            ))
          ) : (
            <a href="#/credentials">{t("oauth.login.viewAll")}</a>
          )}
        </Alert>
      ) : null}
      {state.phase === "failed" ? <Alert tone="error" title={t("oauth.login.failed")}>{state.message}</Alert> : null}
      {state.phase === "cancelled" ? <Alert tone="info">{t("oauth.login.cancelled")}</Alert> : null}
      {state.phase === "timedOut" ? <Alert tone="error">{t("oauth.login.timedOut")}</Alert> : null}
      {state.phase !== "waiting" ? (
        <div>
          <Button variant="primary" onClick={login.begin} disabled={state.phase === "starting"}>
            {t("oauth.login.start", { name })}
          </Button>
        </div>
      ) : null}
    </Frame>
  );
}
