import { useI18n } from "../../i18n/I18nProvider";

export function OauthPage() {
  const { t } = useI18n();
  return <h1>{t("oauth.page.title")}</h1>;
}
