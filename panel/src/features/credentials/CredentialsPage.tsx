import { useI18n } from "../../i18n/I18nProvider";

export function CredentialsPage() {
  const { t } = useI18n();
  return <h1>{t("credentials.page.title")}</h1>;
}
