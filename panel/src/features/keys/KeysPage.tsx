import { useI18n } from "../../i18n/I18nProvider";

export function KeysPage() {
  const { t } = useI18n();
  return <h1>{t("keys.page.title")}</h1>;
}
