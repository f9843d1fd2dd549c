import { useI18n } from "../../i18n/I18nProvider";

/** Placeholder until the page is built. */
export function QuotaPage() {
  const { t } = useI18n();
  return <h1>{t("quota.page.title")}</h1>;
}
