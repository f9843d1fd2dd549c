import { useMemo } from "react";
import { Alert } from "../../components/ui/Alert";
import { Button } from "../../components/ui/Button";
import { errorText } from "../../components/ui/errorText";
import type { MessageKey } from "../../i18n/en";
import { useI18n } from "../../i18n/I18nProvider";
import { useConnection } from "../../lib/connection";
import { useCpaCapabilities } from "../../lib/cpa/useCapabilities";
import type { Family } from "../../lib/cpa/providers";
import { useResource } from "../../lib/useResource";
import { fetchHealth } from "./api";
import { AmpcodeSection } from "./components/AmpcodeSection";
import { FamilySection } from "./components/FamilySection";
import type { HealthSource } from "./components/HealthLine";
import styles from "./components/Providers.module.css";
import { useProviders } from "./hooks/useProviders";

const FAMILY_LABELS: Partial<Record<Family, MessageKey>> = {
  "gemini-api-key": "providers.family.gemini",
  "codex-api-key": "providers.family.codex",
  "claude-api-key": "providers.family.claude",
  "vertex-api-key": "providers.family.vertex",
  "xai-api-key": "providers.family.xai",
  "openai-compatibility": "providers.family.compat",
  "interactions-api-key": "providers.family.interactions",
  "meta-api-key": "providers.family.meta",
};

export function ProvidersPage() {
  const { t } = useI18n();
  const { hasUsageService } = useConnection();
  const capabilities = useCpaCapabilities();
  const { resource, save } = useProviders();
  const healthResource = useResource(() => (hasUsageService ? fetchHealth() : Promise.resolve(null)), [hasUsageService]);
  const health = useMemo<HealthSource>(() => {
    if (!hasUsageService) return { kind: "none" };
    if (healthResource.data) return { kind: "ready", byIndex: healthResource.data };
    return healthResource.error ? { kind: "failed" } : { kind: "loading" };
  }, [hasUsageService, healthResource.data, healthResource.error]);
  const labelOf = (family: Family) => {
    const key = FAMILY_LABELS[family];
    return key ? t(key) : family;
  };

  return (
    <div className={styles.page} aria-busy={resource.loading}>
      <div className={styles.pageHeader}>
        <h1>{t("providers.page.title")}</h1>
        <Button onClick={() => (resource.reload(), healthResource.reload())}>{t("providers.page.reload")}</Button>
      </div>
      <p className={styles.intro}>{t("providers.page.intro")}</p>
      {!hasUsageService ? <Alert tone="info">{t("providers.health.noServiceBody")}</Alert> : null}
      {resource.error ? (
        <Alert tone="error" action={<Button onClick={resource.reload}>{t("common.action.retry")}</Button>}>
          {t("providers.page.loadFailed", { message: errorText(resource.error, t) })}
        </Alert>
      ) : null}
      {resource.data ? (
        resource.data.map(({ family, entries }) => (
          <FamilySection key={family} family={family} label={labelOf(family)} entries={entries} health={health} save={save} />
        ))
      ) : resource.error ? null : (
        <p aria-live="polite">{t("common.status.loading")}</p>
      )}
      {capabilities.data?.hasAmpcode ? <AmpcodeSection /> : null}
    </div>
  );
}
