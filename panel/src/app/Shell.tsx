import { useEffect, useId, useState, type ReactNode } from "react";
import { Alert } from "../components/ui/Alert";
import { Button } from "../components/ui/Button";
import { AlertsPage } from "../features/alerts/AlertsPage";
import { BudgetsPage } from "../features/budgets/BudgetsPage";
import { ConfigPage } from "../features/config/ConfigPage";
import { CredentialsPage } from "../features/credentials/CredentialsPage";
import { CpaCards } from "../features/dashboard/components/CpaCards";
import { DashboardPage } from "../features/dashboard/DashboardPage";
import { DataPage } from "../features/data/DataPage";
import { DiagnosticsPage } from "../features/diagnostics/DiagnosticsPage";
import { InspectionPage } from "../features/inspection/InspectionPage";
import { MonitoringPage } from "../features/monitoring/MonitoringPage";
import { KeysPage } from "../features/keys/KeysPage";
import { LogsPage } from "../features/logs/LogsPage";
import { OauthPage } from "../features/oauth/OauthPage";
import { PricesPage } from "../features/prices/PricesPage";
import { ProvidersPage } from "../features/providers/ProvidersPage";
import { QuotaPage } from "../features/quota/QuotaPage";
import { SettingsPage } from "../features/settings/SettingsPage";
import { SystemPage } from "../features/system/SystemPage";
import type { MessageKey } from "../i18n/en";
import { useI18n } from "../i18n/I18nProvider";
import { LanguageSelect } from "../i18n/LanguageSelect";
import type { Translate } from "../i18n/translate";
import type { CpaConfig } from "../lib/cpa/status";
import { useConnection } from "../lib/connection";
import { STATE_LABELS, stateTone, type ServiceStatus, type Tone } from "../lib/serviceStatus";
import type { Resource } from "../lib/useResource";
import { useCpaConfig } from "../lib/useCpaConfig";
import { useServiceStatus } from "../lib/useServiceStatus";
import { hrefFor, NAV_GROUPS, ROUTES, USAGE_ROUTES, useHashRoute, type Route } from "./router";
import styles from "./Shell.module.css";
import { isTheme, THEMES, useTheme, type Theme } from "./theme";

const NAV_LABELS: Record<(typeof ROUTES)[number], MessageKey> = {
  dashboard: "app.nav.dashboard",
  monitoring: "app.nav.monitoring",
  prices: "app.nav.prices",
  data: "app.nav.data",
  quota: "app.nav.quota",
  budgets: "app.nav.budgets",
  alerts: "app.nav.alerts",
  inspection: "app.nav.inspection",
  config: "app.nav.config",
  keys: "app.nav.keys",
  providers: "app.nav.providers",
  credentials: "app.nav.credentials",
  oauth: "app.nav.oauth",
  logs: "app.nav.logs",
  system: "app.nav.system",
  diagnostics: "app.nav.diagnostics",
  settings: "app.nav.settings",
};
const GROUP_LABELS: Record<(typeof NAV_GROUPS)[number]["id"], MessageKey> = {
  usage: "app.nav.groupUsage",
  watch: "app.nav.groupWatch",
  cpa: "app.nav.groupCpa",
  help: "app.nav.groupHelp",
};
const THEME_LABELS: Record<Theme, MessageKey> = {
  auto: "app.header.themeAuto",
  light: "app.header.themeLight",
  dark: "app.header.themeDark",
};

/** The header's one-line connection summary: the collector when there is a usage service, else CPA itself. */
function connectionSummary(
  t: Translate,
  status: Resource<ServiceStatus>,
  cpa: Resource<CpaConfig>,
  hasUsageService: boolean,
): { text: string; tone: Tone } {
  if (!hasUsageService) {
    if (cpa.data) return { text: t("app.header.cpaConnected"), tone: "good" };
    return cpa.error ? { text: t("app.header.cpaOffline"), tone: "bad" } : { text: t("common.status.loading"), tone: "neutral" };
  }
  const collector = status.data?.collector;
  if (collector) {
    const state = t(STATE_LABELS[collector.state], { state: collector.rawState });
    return { text: t("app.header.collector", { state }), tone: stateTone(collector.state) };
  }
  return status.error ? { text: t("app.header.offline"), tone: "bad" } : { text: t("common.status.loading"), tone: "neutral" };
}

export function Shell({ onLogout }: { onLogout: () => void }) {
  const { t } = useI18n();
  const route = useHashRoute();
  const { theme, resolved, setTheme } = useTheme();
  const connection = useConnection();
  const status = useServiceStatus(connection.hasUsageService, connection.usageServiceUrl);
  const cpa = useCpaConfig();
  const [menuOpen, setMenuOpen] = useState(false);
  const themeId = useId();
  const navId = useId();

  useEffect(() => setMenuOpen(false), [route]);
  useEffect(() => {
    if (!menuOpen) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") setMenuOpen(false);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [menuOpen]);

  const summary = connectionSummary(t, status, cpa, connection.hasUsageService);
  const version = cpa.data?.version;

  function page(name: Route): ReactNode {
    if (!connection.hasUsageService && USAGE_ROUTES.includes(name)) {
      return (
        <div className={styles.stack}>
          <h1>{t(NAV_LABELS[name as keyof typeof NAV_LABELS])}</h1>
          <Alert tone="info" title={t("app.usageService.missingTitle")}>
            <p>{t("app.usageService.missingBody")}</p>
            <a href={hrefFor("settings")}>{t("app.usageService.connect")}</a>
          </Alert>
          {/* CPA's own figures need no usage service. */}
          {name === "dashboard" ? <CpaCards /> : null}
        </div>
      );
    }
    switch (name) {
      case "dashboard":
        return <DashboardPage status={status} themeKey={resolved} />;
      case "monitoring":
        return <MonitoringPage status={status} themeKey={resolved} />;
      case "prices":
        return <PricesPage />;
      case "data":
        return <DataPage />;
      case "quota":
        return <QuotaPage />;
      case "budgets":
        return <BudgetsPage />;
      case "alerts":
        return <AlertsPage />;
      case "inspection":
        return <InspectionPage />;
      case "config":
        return <ConfigPage />;
      case "keys":
        return <KeysPage />;
      case "providers":
        return <ProvidersPage />;
      case "credentials":
        return <CredentialsPage />;
      case "oauth":
        return <OauthPage />;
      case "logs":
        return <LogsPage />;
      case "system":
        return <SystemPage status={status} onClearLogin={onLogout} />;
      case "diagnostics":
        return <DiagnosticsPage status={status} cpa={cpa} />;
      case "settings":
        return <SettingsPage status={status} />;
      default:
        return (
          <div className={styles.stack}>
            <h1>{t("app.notFound.title")}</h1>
            <a href={hrefFor("dashboard")}>{t("app.notFound.back")}</a>
          </div>
        );
    }
  }

  return (
    <div className={styles.layout}>
      <a className={styles.skip} href="#main" onClick={(e) => { e.preventDefault(); document.getElementById("main")?.focus(); }}>
        {t("app.shell.skipToContent")}
      </a>
      <header className={styles.header}>
        <Button
          variant="ghost"
          className={styles.menuButton}
          aria-expanded={menuOpen}
          aria-controls={navId}
          onClick={() => setMenuOpen((open) => !open)}
        >
          {menuOpen ? t("app.nav.closeMenu") : t("app.nav.openMenu")}
        </Button>
        <span className={styles.brand}>{t("app.shell.name")}</span>
        <span className={`${styles.connection} ${styles[summary.tone]}`} role="status" aria-live="polite">
          <span className={styles.dot} aria-hidden="true" />
          {summary.text}
        </span>
        {version ? (
          <span
            className={styles.version}
            title={cpa.data?.buildDate ? t("app.header.cpaBuilt", { date: cpa.data.buildDate }) : undefined}
          >
            {t("app.header.cpaVersion", { version })}
          </span>
        ) : null}
        <div className={styles.controls}>
          <span>
            <label htmlFor={themeId}>{t("app.header.theme")}</label>{" "}
            <select
              id={themeId}
              value={theme}
              onChange={(event) => {
                if (isTheme(event.target.value)) setTheme(event.target.value);
              }}
            >
              {THEMES.map((value) => (
                <option key={value} value={value}>
                  {t(THEME_LABELS[value])}
                </option>
              ))}
            </select>
          </span>
          <LanguageSelect />
          <Button onClick={onLogout}>{t("app.header.logout")}</Button>
        </div>
      </header>
      <nav id={navId} className={`${styles.sidebar} ${menuOpen ? styles.open : ""}`} aria-label={t("app.nav.label")}>
        {NAV_GROUPS.map((group) => (
          <section key={group.id} aria-labelledby={`${navId}-${group.id}`}>
            <h2 id={`${navId}-${group.id}`} className={styles.navGroup}>
              {t(GROUP_LABELS[group.id])}
            </h2>
            <ul>
              {group.routes.map((name) => (
                <li key={name}>
                  <a href={hrefFor(name)} aria-current={route === name ? "page" : undefined}>
                    {t(NAV_LABELS[name])}
                  </a>
                </li>
              ))}
            </ul>
          </section>
        ))}
      </nav>
      <main id="main" tabIndex={-1} className={styles.main}>
        {page(route)}
      </main>
    </div>
  );
}
