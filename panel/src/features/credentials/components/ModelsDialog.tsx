import { useEffect, useState } from "react";
import { Alert } from "../../../components/ui/Alert";
import { Button } from "../../../components/ui/Button";
import { Dialog } from "../../../components/ui/Dialog";
import { errorText } from "../../../components/ui/errorText";
import { useI18n } from "../../../i18n/I18nProvider";
import type { CredentialModel, CredentialsApi } from "../../../lib/cpa/credentials";

/** The models CPA's registry holds for one credential (none for a disabled one). */
export function ModelsDialog({ api, name, onClose }: { api: CredentialsApi; name: string; onClose: () => void }) {
  const { t } = useI18n();
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
