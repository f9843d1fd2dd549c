import { useCallback, useMemo, useState } from "react";
import { Alert } from "../../components/ui/Alert";
import { Button } from "../../components/ui/Button";
import { errorText } from "../../components/ui/errorText";
import { Page } from "../../components/ui/Page";
import surface from "../../components/ui/Surface.module.css";
import { useI18n } from "../../i18n/I18nProvider";
import { useConnection } from "../../lib/connection";
import { QuotaGrid } from "./components/QuotaGrid";
import { RefreshStatus } from "./components/RefreshStatus";
import { SampleDialog } from "./components/SampleDialog";
import { Toolbar } from "./components/Toolbar";
import { useQuotaData } from "./hooks/useQuotaData";
import { displayName, providerCounts, sections, type QuotaView } from "./logic";

/**
 * Every credential's quota from CPA Manager's collector: a section per provider, a card per credential. The
 * shell shows this page only with a usage service connected (it says so otherwise).
 */
export function QuotaPage() {
  const { t } = useI18n();
  const { hasUsageService } = useConnection();
  const data = useQuotaData(hasUsageService);
  const [view, setView] = useState<QuotaView>({ sort: "recovery", providers: [] });
  const [sampleOf, setSampleOf] = useState<string | null>(null);
  const cards = data.cards;
  const shown = useMemo(() => sections(cards ?? [], view), [cards, view]);
  const providers = useMemo(() => providerCounts(cards ?? []), [cards]);
  const shownCount = useMemo(() => shown.reduce((n, s) => n + s.cards.length, 0), [shown]);
  const onView = useCallback((change: Partial<QuotaView>) => setView((v) => ({ ...v, ...change })), []);
  const sampleCard = sampleOf === null ? null : (cards ?? []).find((c) => c.authIndex === sampleOf) ?? null;
  const names = useMemo(() => new Map((cards ?? []).map((c) => [c.authIndex, displayName(c)])), [cards]);

  const running = data.refresh !== null && !data.refresh.finished && data.refresh.authIndex === null;
  return (
    <Page
      title={t("quota.page.title")}
      actions={<Button variant="primary" onClick={data.refreshAll} disabled={running}>{t("quota.page.refreshAll")}</Button>}
    >
      <p>{data.intervalSeconds ? t("quota.page.intro", { minutes: Math.round(data.intervalSeconds / 60) }) : t("quota.page.introDefault")}</p>
      {data.refresh ? <RefreshStatus refresh={data.refresh} names={names} /> : null}
      {data.error ? <Alert tone="error" title={t("quota.page.loadFailed")}>{errorText(data.error, t)}</Alert> : null}
      {data.usageError ? <Alert tone="warning" title={t("quota.page.usageFailed")}>{errorText(data.usageError, t)}</Alert> : null}
      <div className={surface.card}>
        <Toolbar view={view} onView={onView} providers={providers} shown={shownCount} total={cards?.length ?? 0} />
        {cards === null ? (
          data.loading ? <p aria-busy="true">{t("quota.page.loading")}</p> : null
        ) : cards.length === 0 ? (
          <p>{t("quota.page.empty")}</p>
        ) : shownCount === 0 ? (
          <p>{t("quota.page.noneShown")}</p>
        ) : (
          <QuotaGrid sections={shown} usage={data.usage} sparklines={data.sparklines} busy={data.busy}
            onRefresh={data.refreshOne} onShowSample={setSampleOf} />
        )}
      </div>
      {sampleCard ? <SampleDialog name={displayName(sampleCard)} detail={sampleCard.reading?.detail ?? null} onClose={() => setSampleOf(null)} /> : null}
    </Page>
  );
}
