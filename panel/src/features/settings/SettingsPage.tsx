import { Alert } from "../../components/ui/Alert";
import { errorText } from "../../components/ui/errorText";
import { useI18n } from "../../i18n/I18nProvider";
import { useConnection } from "../../lib/connection";
import type { ServiceStatus } from "../../lib/serviceStatus";
import type { Resource } from "../../lib/useResource";
import { QuotaNotificationsCard } from "./components/QuotaNotificationsCard";
import { ServiceCard } from "./components/ServiceCard";
import styles from "./components/Settings.module.css";
import { StorageCard } from "./components/StorageCard";
import { UsageServiceCard } from "./components/UsageServiceCard";

export function SettingsPage({ status }: { status: Resource<ServiceStatus> }) {
  const { t } = useI18n();
  const connection = useConnection();
  return (
    <div className={styles.page}>
      <h1 className={styles.pageTitle}>{t("settings.page.title")}</h1>
      {connection.mode === "cpa" ? <UsageServiceCard /> : null}
      {connection.hasUsageService && status.data ? <ServiceCard status={status.data} onChanged={status.reload} /> : null}
      {connection.hasUsageService ? <QuotaNotificationsCard /> : null}
      {connection.hasUsageService ? <StorageCard /> : null}
      {connection.hasUsageService && status.error && !status.data ? (
        <Alert tone="error">{t("settings.page.statusFailed", { message: errorText(status.error, t) })}</Alert>
      ) : null}
    </div>
  );
}
