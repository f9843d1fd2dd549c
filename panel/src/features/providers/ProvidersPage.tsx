import { useI18n } from "../../i18n/I18nProvider";

export function ProvidersPage() {
  const { t } = useI18n();
  return <h1>{t("providers.page.title")}</h1>;
}
