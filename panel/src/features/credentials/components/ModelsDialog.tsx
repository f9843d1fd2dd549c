import { useEffect, useState } from "react";
import { Alert } from "../../../components/ui/Alert";
import { Button } from "../../../components/ui/Button";
import { Dialog } from "../../../components/ui/Dialog";
import { errorText } from "../../../components/ui/errorText";
import { useI18n } from "../../../i18n/I18nProvider";
import formStyles from "../../../components/ui/Form.module.css";
import { formatDateTime } from "../../../lib/format";
import type { Credential, CredentialModel, CredentialsApi } from "../../../lib/cpa/credentials";

interface Props {
  api: CredentialsApi;
  name: string;
  credential: Credential | null;
  /** v8 can refresh a credential's tokens on demand. */
  canRefresh: boolean;
  onClose: () => void;
}

/** The models CPA's registry holds for one credential (none for a disabled one), its quota signals, and a refresh. */
export function ModelsDialog({ api, name, credential, canRefresh, onClose }: Props) {
  const { t, language } = useI18n();
  const [refresh, setRefresh] = useState<{ tone: "success" | "error"; text: string } | null>(null);
  const [models, setModels] = useState<CredentialModel[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    api.models(name).then(
      (list) => live && setModels(list),
      (cause: unknown) => live && setError(errorText(cause, t)),
    );
    return () => void (live = false);
  }, [api, name, t]);
  return (
    <Dialog title={t("credentials.models.title", { name })} onClose={onClose} actions={<Button onClick={onClose}>{t("credentials.common.close")}</Button>}>
      {error ? <Alert tone="error">{error}</Alert> : null}
      {models === null && !error ? <p>{t("credentials.editor.loading")}</p> : null}
      {models?.length === 0 ? <p>{t("credentials.models.none")}</p> : null}
      {credential?.quota ? (
        <section aria-label={t("credentials.models.quota")}>
          <h3>
            {t("credentials.models.quota")}
            {credential.quota.observedMs !== null ? ` (${formatDateTime(credential.quota.observedMs, language)})` : ""}
          </h3>
          <dl className={formStyles.facts}>
            {credential.quota.signals.map(([header, value]) => (
              <div key={header} style={{ display: "contents" }}>
                <dt><code>{header}</code></dt>
                <dd>{value}</dd>
              </div>
            ))}
          </dl>
        </section>
      ) : null}
      {canRefresh ? (
        <div>
          <Button
            onClick={() =>
              void api.refresh(name).then(
                () => setRefresh({ tone: "success", text: t("credentials.models.refreshed", { name }) }),
                (cause: unknown) => setRefresh({ tone: "error", text: errorText(cause, t) }),
              )
            }
          >
            {t("credentials.models.refresh")}
          </Button>
        </div>
      ) : null}
      {refresh ? <Alert tone={refresh.tone}>{refresh.text}</Alert> : null}
      {models && models.length > 0 ? (
        <ul aria-label={t("credentials.models.list")}>
          {models.map((m) => (
            <li key={m.id}>
              <code>{m.id}</code> {m.displayName && m.displayName !== m.id ? `— ${m.displayName}` : null}
            </li>
          ))}
        </ul>
      ) : null}
    </Dialog>
  );
}
