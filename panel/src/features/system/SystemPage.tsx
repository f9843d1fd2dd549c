import { useI18n } from "../../i18n/I18nProvider";

export function SystemPage() {
  const { t } = useI18n();
  return <h1>{t("system.page.title")}</h1>;
}
