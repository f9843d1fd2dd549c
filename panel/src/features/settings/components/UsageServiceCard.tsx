import { useState, type FormEvent } from "react";
import { Alert } from "../../../components/ui/Alert";
import { Button } from "../../../components/ui/Button";
import { errorText } from "../../../components/ui/errorText";
import { TextField } from "../../../components/ui/TextField";
import { useI18n } from "../../../i18n/I18nProvider";
import { useConnection } from "../../../lib/connection";
import { ApiError, CLIENT_CODES } from "../../../lib/http";
import { isUsageService } from "../../../lib/serviceStatus";
import { normalizeBaseUrl } from "../../../lib/url";
import { settingsApi } from "../api";
import { DEFAULT_SERVICE_URL, defaultCpaUrl, validateConnectForm, type ConnectFormErrors } from "../logic";
import styles from "./Settings.module.css";

type Outcome = { tone: "success" | "error" | "info"; text: string } | null;

/**
 * CPA panel mode: connect CPA Manager as the external usage service. From then on usage, price and
 * status calls go there with the same key; everything else stays on CPA.
 */
export function UsageServiceCard() {
  const { t } = useI18n();
  const connection = useConnection();
  const [serviceUrl, setServiceUrl] = useState(connection.usageServiceUrl ?? DEFAULT_SERVICE_URL);
  const [cpaUrl, setCpaUrl] = useState(() => defaultCpaUrl(window.location.origin));
  const [errors, setErrors] = useState<ConnectFormErrors>({});
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [busy, setBusy] = useState(false);

  /** A browser reports a CORS refusal like a dead server; say what to check for both. */
  function failure(cause: unknown): string {
    if (cause instanceof ApiError && cause.code === CLIENT_CODES.network) {
      return t("settings.usageService.unreachable", { url: normalizeBaseUrl(serviceUrl), origin: window.location.origin });
    }
    return errorText(cause, t);
  }

  /** Checking needs only the service's address; connecting needs both. */
  async function run(work: () => Promise<Outcome>, needsCpaUrl: boolean) {
    const found = validateConnectForm(serviceUrl, cpaUrl);
    if (!needsCpaUrl) delete found.cpaUrl;
    setErrors(found);
    if (found.serviceUrl || found.cpaUrl) return;
    setBusy(true);
    setOutcome(null);
    try {
      setOutcome(await work());
    } catch (cause) {
      setOutcome({ tone: "error", text: failure(cause) });
    } finally {
      setBusy(false);
    }
  }

  const check = () =>
    run(async () => {
      const info = await settingsApi.probe(serviceUrl);
      if (!info || !isUsageService(info)) return { tone: "error", text: t("settings.usageService.notAService") };
      const key = info.configured ? "settings.usageService.probeConfigured" : "settings.usageService.probeNew";
      return { tone: "info", text: t(key, { service: info.service, version: info.version }) };
    }, false);

  const connect = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const status = await settingsApi.connect(serviceUrl, cpaUrl);
      connection.setUsageServiceUrl(normalizeBaseUrl(serviceUrl));
      return { tone: "success", text: t("settings.usageService.connected", { version: status.version, events: status.events }) };
    }, true);
  };

  function disconnect() {
    connection.setUsageServiceUrl(null);
    setOutcome({ tone: "info", text: t("settings.usageService.disconnected") });
  }

  return (
    <section className={styles.card} aria-labelledby="usage-service-title">
      <h2 id="usage-service-title" className={styles.cardTitle}>
        {t("settings.usageService.title")}
      </h2>
      <p className={styles.muted}>{t("settings.usageService.intro")}</p>
      <p>
        {connection.usageServiceUrl
          ? t("settings.usageService.current", { url: connection.usageServiceUrl })
          : t("settings.usageService.none")}
      </p>
      <form className={styles.form} onSubmit={connect} noValidate>
        <TextField
          label={t("settings.usageService.url")}
          type="url"
          inputMode="url"
          spellCheck={false}
          value={serviceUrl}
          onValue={setServiceUrl}
          hint={t("settings.usageService.urlHint")}
          error={errors.serviceUrl ? t(errors.serviceUrl) : null}
        />
        <TextField
          label={t("settings.usageService.cpaUrl")}
          type="url"
          inputMode="url"
          spellCheck={false}
          value={cpaUrl}
          onValue={setCpaUrl}
          hint={t("settings.usageService.cpaUrlHint")}
          error={errors.cpaUrl ? t(errors.cpaUrl) : null}
        />
        {outcome ? <Alert tone={outcome.tone}>{outcome.text}</Alert> : null}
        <div className={styles.buttons}>
          <Button type="submit" variant="primary" disabled={busy}>
            {busy ? t("settings.usageService.working") : t("settings.usageService.connect")}
          </Button>
          <Button onClick={check} disabled={busy}>
            {t("settings.usageService.check")}
          </Button>
          {connection.usageServiceUrl ? (
            <Button onClick={disconnect} disabled={busy}>
              {t("settings.usageService.disconnect")}
            </Button>
          ) : null}
        </div>
      </form>
    </section>
  );
}
