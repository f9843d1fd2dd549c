import { useI18n } from "../../i18n/I18nProvider";

/** Placeholder until the page is built. */
export function AlertsPage() {
  const { t } = useI18n();
  return <h1>{t("alerts.page.title")}</h1>;
}
