import { useId, useState, type FormEvent } from "react";
import { Alert } from "../../components/ui/Alert";
import { Button } from "../../components/ui/Button";
import { errorText } from "../../components/ui/errorText";
import { TextField } from "../../components/ui/TextField";
import type { MessageKey } from "../../i18n/en";
import { useI18n } from "../../i18n/I18nProvider";
import { LanguageSelect } from "../../i18n/LanguageSelect";
import type { Detection } from "../../lib/connection";
import { ApiError } from "../../lib/http";
import { normalizeBaseUrl } from "../../lib/url";
import { authApi } from "./api";
import { DEFAULT_CPA_URL, validateSetupForm, type SetupFormErrors } from "./logic";
import styles from "./LoginPage.module.css";

interface LoginPageProps {
  /** Why the user is here (signed out, key rejected); shown above the form. */
  notice: MessageKey | null;
  /** Who served this page; null while unknown (detection failed). */
  detection: Detection | null;
  detectError: unknown;
  onRetry: () => void;
  onLoggedIn: (key: string, remember: boolean) => void;
}

type Variant = "setup" | "login" | "cpa";

const TITLES: Record<Variant, MessageKey> = {
  setup: "auth.page.setupTitle",
  login: "auth.page.loginTitle",
  cpa: "auth.page.cpaTitle",
};
const INTROS: Record<Variant, MessageKey> = {
  setup: "auth.page.setupIntro",
  login: "auth.page.loginIntro",
  cpa: "auth.page.cpaIntro",
};

function variantOf(detection: Detection): Variant {
  if (detection.mode === "cpa") return "cpa";
  return detection.info.configured ? "login" : "setup";
}

export function LoginPage({ notice, detection, detectError, onRetry, onLoggedIn }: LoginPageProps) {
  const { t } = useI18n();
  const [url, setUrl] = useState(DEFAULT_CPA_URL);
  const [key, setKey] = useState("");
  const [showKey, setShowKey] = useState(false);
  const [remember, setRemember] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<SetupFormErrors>({});
  const [submitError, setSubmitError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const ids = { key: useId(), remember: useId(), rememberHint: useId() };

  const variant = detection ? variantOf(detection) : "login";
  const needsSetup = variant === "setup";

  async function submit(event: FormEvent) {
    event.preventDefault();
    const errors = validateSetupForm(url, key, needsSetup);
    setFieldErrors(errors);
    setSubmitError(null);
    if (errors.url || errors.key) return;
    setBusy(true);
    const trimmedKey = key.trim();
    try {
      if (needsSetup) await authApi.setup(normalizeBaseUrl(url), trimmedKey);
      else await authApi.verify(trimmedKey, detection?.mode ?? "full");
      onLoggedIn(trimmedKey, remember);
    } catch (error) {
      // Setup errors are the server's own sentences (CPA rejected the key, unreachable, ban guard).
      const rejected = !needsSetup && error instanceof ApiError && error.status === 401;
      // CPA itself bans an address after five wrong keys, so say so before it happens.
      const rejectedText = variant === "cpa" ? t("auth.form.keyRejectedByCpa") : t("auth.form.keyRejected");
      setSubmitError(rejected ? rejectedText : errorText(error, t));
      setBusy(false);
    }
  }

  return (
    <div className={styles.page}>
      <div className={styles.topBar}>
        <LanguageSelect />
      </div>
      <main className={styles.card} id="main">
        <p className={styles.brand}>{t("app.shell.name")}</p>
        {!detection ? (
          <>
            <h1 className={styles.title}>{t("auth.page.unreachableTitle")}</h1>
            <Alert tone="error" action={<Button onClick={onRetry}>{t("common.action.retry")}</Button>}>
              {t("auth.page.infoFailed", { message: errorText(detectError, t) })}
            </Alert>
          </>
        ) : (
          <>
            <h1 className={styles.title}>{t(TITLES[variant])}</h1>
            <p className={styles.intro}>{t(INTROS[variant])}</p>
            {notice ? (
              <Alert
                tone="info"
                action={
                  notice === "auth.session.unverified" ? <Button onClick={onRetry}>{t("common.action.retry")}</Button> : null
                }
              >
                {t(notice)}
              </Alert>
            ) : null}
            <form className={styles.form} onSubmit={submit} noValidate>
              {needsSetup ? (
                <TextField
                  label={t("auth.form.cpaUrl")}
                  type="url"
                  inputMode="url"
                  autoComplete="url"
                  spellCheck={false}
                  value={url}
                  onValue={setUrl}
                  hint={t("auth.form.cpaUrlHint")}
                  error={fieldErrors.url ? t(fieldErrors.url) : null}
                />
              ) : null}
              <div className={styles.field}>
                <label htmlFor={ids.key}>{t("auth.form.key")}</label>
                <div className={styles.keyRow}>
                  <input
                    id={ids.key}
                    type={showKey ? "text" : "password"}
                    autoComplete="current-password"
                    spellCheck={false}
                    value={key}
                    onChange={(event) => setKey(event.target.value)}
                    aria-invalid={fieldErrors.key ? true : undefined}
                    aria-describedby={fieldErrors.key ? `${ids.key}-error` : undefined}
                    autoFocus={!needsSetup}
                  />
                  <Button
                    variant="secondary"
                    aria-pressed={showKey}
                    aria-label={showKey ? t("auth.form.hideKeyLabel") : t("auth.form.showKeyLabel")}
                    onClick={() => setShowKey((shown) => !shown)}
                  >
                    {showKey ? t("auth.form.hideKey") : t("auth.form.showKey")}
                  </Button>
                </div>
                {fieldErrors.key ? (
                  <span id={`${ids.key}-error`} className={styles.fieldError}>
                    {t(fieldErrors.key)}
                  </span>
                ) : null}
              </div>
              <div className={styles.check}>
                <input
                  id={ids.remember}
                  type="checkbox"
                  checked={remember}
                  onChange={(event) => setRemember(event.target.checked)}
                  aria-describedby={ids.rememberHint}
                />
                <div>
                  <label htmlFor={ids.remember}>{t("auth.form.remember")}</label>
                  <p id={ids.rememberHint} className={styles.hint}>
                    {t("auth.form.rememberHint")}
                  </p>
                </div>
              </div>
              {submitError ? <Alert tone="error">{submitError}</Alert> : null}
              <Button type="submit" variant="primary" disabled={busy}>
                {busy ? t("auth.form.submitting") : needsSetup ? t("auth.form.submitSetup") : t("auth.form.submitLogin")}
              </Button>
            </form>
          </>
        )}
      </main>
    </div>
  );
}
