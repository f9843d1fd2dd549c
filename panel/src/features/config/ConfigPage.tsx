import { useI18n } from "../../i18n/I18nProvider";

export function ConfigPage() {
  const { t } = useI18n();
  return <h1>{t("config.page.title")}</h1>;
}
