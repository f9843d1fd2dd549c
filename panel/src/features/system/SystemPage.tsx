import { Page } from "../../components/ui/Page";
import { useI18n } from "../../i18n/I18nProvider";
import { useConnection } from "../../lib/connection";
import { useCpaCapabilities } from "../../lib/cpa/useCapabilities";
import type { ServiceStatus } from "../../lib/serviceStatus";
import type { Resource } from "../../lib/useResource";
import { ModelsCard } from "./components/ModelsCard";
import { ServiceFactsCard } from "./components/ServiceFactsCard";
import styles from "./components/System.module.css";
import { ToolsCard } from "./components/ToolsCard";
import { VersionsCard } from "./components/VersionsCard";

interface SystemPageProps {
  status: Resource<ServiceStatus>;
  /** Forgets the stored key and signs out (the shell's sign-out). */
  onClearLogin: () => void;
}

export function SystemPage({ status, onClearLogin }: SystemPageProps) {
  const { t } = useI18n();
  const connection = useConnection();
  const capabilities = useCpaCapabilities();
  const service = connection.hasUsageService ? status : null;
  return (
    <Page title={t("system.page.title")}>
      <div className={styles.grid}>
        <VersionsCard capabilities={capabilities} status={service} />
        <ServiceFactsCard status={service} />
      </div>
      <ToolsCard capabilities={capabilities.data} onClearLogin={onClearLogin} />
      <ModelsCard />
    </Page>
  );
}
