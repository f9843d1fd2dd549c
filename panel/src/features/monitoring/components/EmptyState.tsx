import { Alert } from "../../../components/ui/Alert";
import { useI18n } from "../../../i18n/I18nProvider";
import { STATE_LABELS, type ServiceStatus } from "../../../lib/serviceStatus";

/** Shown when the range has no requests at all: lists the likely causes, checked against /status. */
export function EmptyState({ status, filtered }: { status: ServiceStatus | null; filtered: boolean }) {
  const { t } = useI18n();
  const collector = status?.collector;
  const publishingOff = collector?.usageStatisticsEnabled === false;
  return (
    <Alert tone="info" title={t("monitoring.empty.title")}>
      <p>{t("monitoring.empty.intro")}</p>
      <ul>
        {filtered ? <li>{t("monitoring.empty.filtered")}</li> : null}
        <li>
          {t("monitoring.empty.usageOff")}
          {publishingOff ? <strong> {t("monitoring.empty.usageOffNow")}</strong> : null}
        </li>
        <li>
          {t("monitoring.empty.collector")}
          {collector ? (
            <strong>
              {" "}
              {t("monitoring.empty.collectorNow", { state: t(STATE_LABELS[collector.state], { state: collector.rawState }) })}
            </strong>
          ) : null}
        </li>
        <li>{t("monitoring.empty.noTraffic")}</li>
      </ul>
    </Alert>
  );
}
