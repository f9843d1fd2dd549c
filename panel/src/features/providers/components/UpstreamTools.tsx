import { useState } from "react";
import { Button } from "../../../components/ui/Button";
import { errorText } from "../../../components/ui/errorText";
import { useI18n } from "../../../i18n/I18nProvider";
import { channelFor, modelDefinitions } from "../../../lib/cpa/modelDefinitions";
import type { Family, ProviderEntry } from "../../../lib/cpa/providers";
import type { Credential } from "../discovery";
import { useUpstreamCheck } from "../hooks/useUpstreamCheck";
import type { EntryForm } from "../logic";
import { CheckResult } from "./CheckResult";
import styles from "./Providers.module.css";

/**
 * The credential the form describes. CPA's auth_index belongs to the saved key and base URL, so it is
 * used (and the key stays in CPA) only while both are unchanged; otherwise the typed key is sent.
 */
export function formCredential(form: EntryForm, original: ProviderEntry | null): Credential {
  const baseUrl = form.baseUrl.trim();
  const sameBase = original !== null && original.baseUrl === baseUrl;
  if (original?.kind === "compat" || form.keys.length > 0) {
    const key = form.keys.find((k) => k.apiKey.trim() !== "");
    const saved = original?.kind === "compat" ? original.keys.find((k) => k.apiKey === key?.apiKey.trim()) : undefined;
    return { baseUrl, apiKey: key?.apiKey ?? "", authIndex: sameBase && saved ? saved.authIndex : null };
  }
  const unchanged = sameBase && original?.kind === "key" && original.apiKey === form.apiKey.trim();
  return { baseUrl, apiKey: form.apiKey, authIndex: unchanged ? (original?.authIndex ?? null) : null };
}

interface UpstreamToolsProps {
  family: Family;
  form: EntryForm;
  original: ProviderEntry | null;
  onAddModels: (names: string[]) => void;
}

/** "Fetch models" from the upstream's /models (through CPA's api-call), then add the ones wanted. */
export function UpstreamTools({ family, form, original, onAddModels }: UpstreamToolsProps) {
  const { t } = useI18n();
  const { state, run } = useUpstreamCheck(family);
  const channel = channelFor(family);
  const [catalogue, setCatalogue] = useState<{ models: string[] } | { error: string } | null>(null);
  const known = new Set(form.models.map((m) => m.name.trim()));
  const offered = catalogue && "models" in catalogue ? catalogue.models : state.kind === "done" ? state.models : [];
  const found = offered.filter((id) => !known.has(id));
  const fromCatalogue = (name: string) => {
    setCatalogue(null);
    modelDefinitions(name).then(
      (models) => setCatalogue({ models }),
      (error: unknown) => setCatalogue({ error: errorText(error, t) }),
    );
  };
  return (
    <section className={styles.tools} aria-label={t("providers.discovery.title")}>
      <div className={styles.actions}>
        <Button disabled={state.kind === "running"} onClick={() => (setCatalogue(null), void run(formCredential(form, original)))}>
          {t("providers.discovery.fetch")}
        </Button>
        {channel ? <Button onClick={() => fromCatalogue(channel)}>{t("providers.discovery.catalogue")}</Button> : null}
        {found.length > 0 ? <Button onClick={() => onAddModels(found)}>{t("providers.discovery.addAll", { count: found.length })}</Button> : null}
      </div>
      {catalogue === null ? <CheckResult state={state} /> : null}
      {catalogue && "error" in catalogue ? <p role="status">{t("providers.discovery.catalogueFailed", { message: catalogue.error })}</p> : null}
      {found.length > 0 ? (
        <ul className={styles.found} aria-label={t("providers.discovery.found")}>
          {found.map((id) => (
            <li key={id}>
              <Button variant="ghost" aria-label={t("providers.discovery.add", { model: id })} onClick={() => onAddModels([id])}>
                + {id}
              </Button>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
