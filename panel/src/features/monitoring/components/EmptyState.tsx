import { Alert } from "../../../components/ui/Alert";
import { Button } from "../../../components/ui/Button";
import { useI18n } from "../../../i18n/I18nProvider";
import { emptyRangeCauses, type EmptyCause, type Span } from "../../../lib/dataWhereabouts";
import { describeGap, type CoverageGap } from "../../../lib/coverage";
import { formatDateTime } from "../../../lib/format";
import { STATE_LABELS, type ServiceStatus } from "../../../lib/serviceStatus";

interface EmptyStateProps {
  status: ServiceStatus | null;
  window: Span;
  filtered: boolean;
  /** The coverage ledger's gaps in the window: collection was not looking then. */
  gaps?: readonly CoverageGap[];
  /** Switches the page to the "all" range. */
  onShowAll: () => void;
}

/** Shown when the range has no requests at all: where the data is, or the likely causes, checked against /status. */
export function EmptyState({ status, window, filtered, gaps = [], onShowAll }: EmptyStateProps) {
  const { t, language } = useI18n();
  const causes = emptyRangeCauses({ status, cpa: null, window, filtered, gaps });
  const outside = causes.some((c) => c.kind === "olderData" || c.kind === "newerData");

  const text = (cause: EmptyCause) => {
    switch (cause.kind) {
      case "filtered":
        return t("monitoring.empty.filtered");
      case "olderData":
        return t("monitoring.empty.olderData", { when: formatDateTime(cause.newestAt, language) });
      case "newerData":
        return t("monitoring.empty.newerData", { when: formatDateTime(cause.oldestAt, language) });
      case "publishing":
        return cause.known === false ? t("monitoring.empty.usageOffNow") : t("monitoring.empty.usageOff");
      case "collector":
        return cause.state === null
          ? t("monitoring.empty.collector")
          : `${t("monitoring.empty.collector")} ${t("monitoring.empty.collectorNow", { state: t(STATE_LABELS[cause.state], { state: cause.rawState }) })}`;
      case "notCollected":
        return t("coverage.empty.gaps", { gaps: cause.gaps.map((gap) => describeGap(gap, t, language)).join("; ") });
      case "noTraffic":
        return t("monitoring.empty.noTraffic");
    }
  };

  return (
    <Alert
      tone="info"
      title={t("monitoring.empty.title")}
      action={outside ? <Button onClick={onShowAll}>{t("monitoring.empty.showAll")}</Button> : undefined}
    >
      {outside ? null : <p>{t("monitoring.empty.intro")}</p>}
      <ul>
        {causes.map((cause) => (
          <li key={cause.kind}>{text(cause)}</li>
        ))}
      </ul>
    </Alert>
  );
}
