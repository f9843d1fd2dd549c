import { useI18n } from "../../i18n/I18nProvider";

export function LogsPage() {
  const { t } = useI18n();
  return <h1>{t("logs.page.title")}</h1>;
}
