import { Alert } from "../../components/ui/Alert";
import { errorText } from "../../components/ui/errorText";
import { Page } from "../../components/ui/Page";
import { useI18n } from "../../i18n/I18nProvider";
import { useConnection } from "../../lib/connection";
import type { ServiceStatus } from "../../lib/serviceStatus";
import type { Resource } from "../../lib/useResource";
import { QuotaNotificationsCard } from "./components/QuotaNotificationsCard";
import { ServiceCard } from "./components/ServiceCard";
import { StorageCard } from "./components/StorageCard";
import { UsageServiceCard } from "./components/UsageServiceCard";

export function SettingsPage({ status }: { status: Resource<ServiceStatus> }) {
  const { t } = useI18n();
  const connection = useConnection();
  return (
    <Page title={t("settings.page.title")}>
      {connection.mode === "cpa" ? <UsageServiceCard /> : null}
      {connection.hasUsageService && status.data ? <ServiceCard status={status.data} onChanged={status.reload} /> : null}
      {connection.hasUsageService ? <QuotaNotificationsCard /> : null}
      {connection.hasUsageService ? <StorageCard /> : null}
      {connection.hasUsageService && status.error && !status.data ? (
        <Alert tone="error">{t("settings.page.statusFailed", { message: errorText(status.error, t) })}</Alert>
      ) : null}
    </Page>
  );
}
