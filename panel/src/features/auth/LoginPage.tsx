import { useId, useState, type FormEvent } from "react";
import { Alert } from "../../components/ui/Alert";
import { Button } from "../../components/ui/Button";
import { errorText } from "../../components/ui/errorText";
import type { MessageKey } from "../../i18n/en";
import { useI18n } from "../../i18n/I18nProvider";
import { LanguageSelect } from "../../i18n/LanguageSelect";
import { ApiError } from "../../lib/http";
import { useResource } from "../../lib/useResource";
import { authApi } from "./api";
import { DEFAULT_CPA_URL, normalizeBaseUrl, validateSetupForm, type SetupFormErrors } from "./logic";
import styles from "./LoginPage.module.css";

interface LoginPageProps {
  /** Why the user is here (signed out, key rejected); shown above the form. */
  notice: MessageKey | null;
  onLoggedIn: (key: string, remember: boolean) => void;
}

export function LoginPage({ notice, onLoggedIn }: LoginPageProps) {
  const { t } = useI18n();
  const info = useResource(() => authApi.info(), []);
  const [url, setUrl] = useState(DEFAULT_CPA_URL);
  const [key, setKey] = useState("");
  const [showKey, setShowKey] = useState(false);
  const [remember, setRemember] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<SetupFormErrors>({});
  const [submitError, setSubmitError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const ids = { url: useId(), urlHint: useId(), key: useId(), remember: useId(), rememberHint: useId() };

  const needsSetup = info.data ? !info.data.configured : false;

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
      else await authApi.verify(trimmedKey);
      onLoggedIn(trimmedKey, remember);
    } catch (error) {
      // Setup errors are the server's own sentences (CPA rejected the key, unreachable, ban guard).
      const rejected = !needsSetup && error instanceof ApiError && error.status === 401;
      setSubmitError(rejected ? t("auth.form.keyRejected") : errorText(error, t));
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
        {info.loading && !info.data ? (
          <p aria-live="polite">{t("auth.page.checking")}</p>
        ) : info.error && !info.data ? (
          <Alert
            tone="error"
            action={<Button onClick={info.reload}>{t("common.action.retry")}</Button>}
          >
            {t("auth.page.infoFailed", { message: errorText(info.error, t) })}
          </Alert>
        ) : (
          <>
            <h1 className={styles.title}>{needsSetup ? t("auth.page.setupTitle") : t("auth.page.loginTitle")}</h1>
            <p className={styles.intro}>{needsSetup ? t("auth.page.setupIntro") : t("auth.page.loginIntro")}</p>
            {notice ? <Alert tone="info">{t(notice)}</Alert> : null}
            <form className={styles.form} onSubmit={submit} noValidate>
              {needsSetup ? (
                <div className={styles.field}>
                  <label htmlFor={ids.url}>{t("auth.form.cpaUrl")}</label>
                  <input
                    id={ids.url}
                    type="url"
                    inputMode="url"
                    autoComplete="url"
                    spellCheck={false}
                    value={url}
                    onChange={(event) => setUrl(event.target.value)}
                    aria-invalid={fieldErrors.url ? true : undefined}
                    aria-describedby={ids.urlHint}
                  />
                  <span id={ids.urlHint} className={fieldErrors.url ? styles.fieldError : styles.hint}>
                    {fieldErrors.url ? t(fieldErrors.url) : t("auth.form.cpaUrlHint")}
                  </span>
                </div>
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
