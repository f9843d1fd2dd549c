import { useEffect, useId, useState } from "react";
import { Button } from "../components/ui/Button";
import { DashboardPage } from "../features/dashboard/DashboardPage";
import { DataPage } from "../features/data/DataPage";
import { MonitoringPage } from "../features/monitoring/MonitoringPage";
import { PricesPage } from "../features/prices/PricesPage";
import { STATE_LABELS, stateTone } from "../lib/serviceStatus";
import { useServiceStatus } from "../lib/useServiceStatus";
import type { MessageKey } from "../i18n/en";
import { useI18n } from "../i18n/I18nProvider";
import { LanguageSelect } from "../i18n/LanguageSelect";
import { hrefFor, ROUTES, useHashRoute } from "./router";
import styles from "./Shell.module.css";
import { isTheme, THEMES, useTheme, type Theme } from "./theme";

const NAV_LABELS: Record<(typeof ROUTES)[number], MessageKey> = {
  dashboard: "app.nav.dashboard",
  monitoring: "app.nav.monitoring",
  prices: "app.nav.prices",
  data: "app.nav.data",
};
const THEME_LABELS: Record<Theme, MessageKey> = {
  auto: "app.header.themeAuto",
  light: "app.header.themeLight",
  dark: "app.header.themeDark",
};

export function Shell({ onLogout }: { onLogout: () => void }) {
  const { t } = useI18n();
  const route = useHashRoute();
  const { theme, resolved, setTheme } = useTheme();
  const status = useServiceStatus(true);
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

  const collector = status.data?.collector;
  const connection = collector
    ? t("app.header.collector", { state: t(STATE_LABELS[collector.state], { state: collector.rawState }) })
    : status.error
      ? t("app.header.offline")
      : t("common.status.loading");
  const tone = collector ? stateTone(collector.state) : status.error ? "bad" : "neutral";

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
        <span className={`${styles.connection} ${styles[tone]}`} role="status" aria-live="polite">
          <span className={styles.dot} aria-hidden="true" />
          {connection}
        </span>
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
        <ul>
          {ROUTES.map((name) => (
            <li key={name}>
              <a href={hrefFor(name)} aria-current={route === name ? "page" : undefined}>
                {t(NAV_LABELS[name])}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" tabIndex={-1} className={styles.main}>
        {route === "dashboard" ? (
          <DashboardPage status={status} themeKey={resolved} />
        ) : route === "monitoring" ? (
          <MonitoringPage status={status} themeKey={resolved} />
        ) : route === "prices" ? (
          <PricesPage />
        ) : route === "data" ? (
          <DataPage />
        ) : (
          <div className={styles.notFound}>
            <h1>{t("app.notFound.title")}</h1>
            <a href={hrefFor("dashboard")}>{t("app.notFound.back")}</a>
          </div>
        )}
      </main>
    </div>
  );
}
