import { Alert } from "../../components/ui/Alert";
import { errorText } from "../../components/ui/errorText";
import { Page } from "../../components/ui/Page";
import { useI18n } from "../../i18n/I18nProvider";
import { oauthProviders } from "../../lib/cpa/oauth";
import { useCpaCapabilities } from "../../lib/cpa/useCapabilities";
import { ExcludedModelsEditor } from "./components/ExcludedModelsEditor";
import { LoginCard } from "./components/LoginCard";
import { ModelAliasEditor } from "./components/ModelAliasEditor";
import styles from "./components/OAuth.module.css";
import { PluginLoginCard } from "./components/PluginLoginCard";
import { VertexCard } from "./components/VertexCard";

/** Logins for the providers the connected CPA supports, Vertex import, and the OAuth model maps. */
export function OauthPage() {
  const { t } = useI18n();
  const caps = useCpaCapabilities();
  const hasV8 = caps.data?.hasV8 ?? false;
  const providers = oauthProviders(hasV8);
  return (
    <Page title={t("oauth.page.title")}>
      {caps.error ? <Alert tone="error">{errorText(caps.error, t)}</Alert> : null}
      {caps.data ? (
        <>
          <p className={styles.lead}>{t(hasV8 ? "oauth.page.leadV8" : "oauth.page.leadV0", { version: caps.data.version.raw })}</p>
          <section aria-label={t("oauth.page.logins")} className={styles.grid}>
            {providers.map((p) => (
              <LoginCard key={p.id} provider={p} hasV8={hasV8} />
            ))}
            {hasV8 ? <PluginLoginCard /> : null}
            <VertexCard hasV8={hasV8} />
          </section>
          <ExcludedModelsEditor providers={providers.map((p) => p.id)} />
          <ModelAliasEditor hasV8={hasV8} />
        </>
      ) : (
        <p aria-busy="true">{t("oauth.page.loading")}</p>
      )}
    </Page>
  );
}
