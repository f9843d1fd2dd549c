import { useId, useState } from "react";
import formStyles from "../../../components/ui/Form.module.css";
import surface from "../../../components/ui/Surface.module.css";
import { useI18n } from "../../../i18n/I18nProvider";
import { mapKey } from "../logic";
import { LoginCard } from "./LoginCard";
import styles from "./OAuth.module.css";

/**
 * v8 logs in to OAuth plugin providers through the same unified route (cpa-v8 §6.1); CPA does not list them in a
 * place this page can rely on, so the user names the plugin's provider ID. Its flow type comes with the answer.
 */
export function PluginLoginCard() {
  const { t } = useI18n();
  const ids = useId();
  const [text, setText] = useState("");
  const provider = mapKey(text);
  return (
    <section className={`${surface.card} ${styles.card}`} aria-labelledby={`${ids}-title`}>
      <h3 id={`${ids}-title`} className={styles.cardTitle}>{t("oauth.plugin.title")}</h3>
      <label className={formStyles.compactField} htmlFor={`${ids}-id`}>
        {t("oauth.plugin.id")}
        <input id={`${ids}-id`} value={text} onChange={(e) => setText(e.target.value)} placeholder="my-plugin" />
      </label>
      {provider ? <LoginCard key={provider} provider={{ id: provider, flow: "browser" }} hasV8 embedded /> : (
        <p className={formStyles.hint}>{t("oauth.plugin.hint")}</p>
      )}
    </section>
  );
}
