import { useEffect, useId, useState } from "react";
import { Alert } from "../../../components/ui/Alert";
import { Button } from "../../../components/ui/Button";
import { errorText } from "../../../components/ui/errorText";
import formStyles from "../../../components/ui/Form.module.css";
import surface from "../../../components/ui/Surface.module.css";
import { useI18n } from "../../../i18n/I18nProvider";
import { oauthMapsApi, type ExcludedModels } from "../../../lib/cpa/oauthMaps";
import { checkPatterns, mapKey, sameJson } from "../logic";
import styles from "./OAuth.module.css";

/**
 * Excluded models per OAuth provider. A save re-reads the map and writes only when this provider's list is
 * still what the editor loaded, so another panel's change is never overwritten unseen.
 */
export function ExcludedModelsEditor({ providers }: { providers: readonly string[] }) {
  const { t } = useI18n();
  const ids = useId();
  const [loaded, setLoaded] = useState<ExcludedModels | null>(null);
  const [provider, setProvider] = useState(providers[0] ?? "codex");
  const [text, setText] = useState("");
  const [note, setNote] = useState<{ tone: "error" | "success" | "warning"; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const load = async (keep: string) => {
    const map = await oauthMapsApi.excluded();
    setLoaded(map);
    setText((map[keep] ?? []).join("\n"));
    return map;
  };
  useEffect(() => {
    load(provider).catch((cause: unknown) => setNote({ tone: "error", text: errorText(cause, t) }));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- loaded once; switching provider uses the loaded map
  }, []);

  const choose = (next: string) => {
    setProvider(next);
    setText((loaded?.[next] ?? []).join("\n"));
    setNote(null);
  };

  const checked = checkPatterns(text);
  const key = mapKey(provider);
  const save = async () => {
    if (!loaded || key === null || "problem" in checked) return;
    setBusy(true);
    setNote(null);
    try {
      const current = await oauthMapsApi.excluded();
      if (!sameJson(current[key], loaded[key])) {
        setLoaded(current);
        setText((current[key] ?? []).join("\n"));
        setNote({ tone: "warning", text: t("oauth.maps.conflict") });
        return;
      }
      await oauthMapsApi.saveExcluded(key, checked.patterns);
      await load(key);
      setNote({ tone: "success", text: t("oauth.excluded.saved", { provider: key, count: checked.patterns.length }) });
    } catch (cause) {
      setNote({ tone: "error", text: errorText(cause, t) });
    } finally {
      setBusy(false);
    }
  };

  const known = [...new Set([...providers, ...Object.keys(loaded ?? {})])].sort();
  return (
    <section className={surface.card} aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`} className={surface.cardTitle}>{t("oauth.excluded.title")}</h2>
      <p className={formStyles.hint}>{t("oauth.excluded.hint")}</p>
      <div className={styles.editorRow}>
        <label className={formStyles.compactField} htmlFor={`${ids}-provider`}>
          {t("oauth.excluded.provider")}
          <input id={`${ids}-provider`} list={`${ids}-providers`} value={provider} onChange={(e) => choose(e.target.value)}
            aria-invalid={key === null || undefined} />
          <datalist id={`${ids}-providers`}>{known.map((p) => <option key={p} value={p} />)}</datalist>
        </label>
        <span className={formStyles.hint}>
          {Object.keys(loaded ?? {}).length > 0
            ? t("oauth.excluded.current", { list: Object.entries(loaded ?? {}).map(([p, m]) => `${p} (${m.length})`).join(", ") })
            : t("oauth.excluded.none")}
        </span>
      </div>
      <div className={formStyles.field}>
        <label htmlFor={`${ids}-patterns`}>{t("oauth.excluded.patterns", { provider })}</label>
        <textarea id={`${ids}-patterns`} rows={5} value={text} onChange={(e) => setText(e.target.value)}
          aria-invalid={"problem" in checked || undefined} aria-describedby={`${ids}-note`} />
        <span id={`${ids}-note`} className={"problem" in checked || key === null ? formStyles.fieldError : formStyles.hint}>
          {key === null ? t("oauth.maps.badKey") : "problem" in checked ? t("oauth.excluded.badPattern", { line: checked.line }) : t("oauth.excluded.patternsHint")}
        </span>
      </div>
      {note ? <Alert tone={note.tone}>{note.text}</Alert> : null}
      <div>
        <Button variant="primary" onClick={() => void save()} disabled={busy || !loaded || key === null || "problem" in checked}>
          {t("oauth.excluded.save")}
        </Button>
      </div>
    </section>
  );
}
