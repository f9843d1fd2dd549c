import { useEffect, useId, useState } from "react";
import { Alert } from "../../../components/ui/Alert";
import { Button } from "../../../components/ui/Button";
import { errorText } from "../../../components/ui/errorText";
import formStyles from "../../../components/ui/Form.module.css";
import surface from "../../../components/ui/Surface.module.css";
import { useI18n } from "../../../i18n/I18nProvider";
import type { MessageKey } from "../../../i18n/en";
import { ALIAS_CHANNELS, oauthMapsApi, type ModelAlias, type ModelAliases, type ModelDefinition } from "../../../lib/cpa/oauthMaps";
import { checkAliases, sameJson, type MapProblem } from "../logic";
import styles from "./OAuth.module.css";

const PROBLEMS: Record<MapProblem, MessageKey> = {
  badKey: "oauth.maps.badKey",
  badPattern: "oauth.maps.badKey",
  emptyName: "oauth.alias.emptyName",
  sameAsName: "oauth.alias.sameAsName",
  duplicateAlias: "oauth.alias.duplicate",
};

/** Model aliases per channel, with CPA's model definitions as suggestions; saved per channel, read-modify-write. */
export function ModelAliasEditor({ hasV8 }: { hasV8: boolean }) {
  const { t } = useI18n();
  const ids = useId();
  const [loaded, setLoaded] = useState<ModelAliases | null>(null);
  const [channel, setChannel] = useState<string>("codex");
  const [rows, setRows] = useState<ModelAlias[]>([]);
  const [models, setModels] = useState<ModelDefinition[]>([]);
  const [note, setNote] = useState<{ tone: "error" | "success" | "warning"; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    oauthMapsApi.aliases().then(
      (map) => {
        setLoaded(map);
        setRows(map.codex ?? []);
      },
      (cause: unknown) => setNote({ tone: "error", text: errorText(cause, t) }),
    );
  }, [t]);
  useEffect(() => {
    let live = true;
    oauthMapsApi.definitions(hasV8, channel).then((list) => live && setModels(list), () => live && setModels([]));
    return () => void (live = false);
  }, [hasV8, channel]);

  const choose = (next: string) => {
    setChannel(next);
    setRows(loaded?.[next] ?? []);
    setNote(null);
  };
  const update = (index: number, change: Partial<ModelAlias>) => setRows((r) => r.map((row, i) => (i === index ? { ...row, ...change } : row)));
  const problem = checkAliases(rows);

  const save = async () => {
    if (!loaded || problem) return;
    setBusy(true);
    setNote(null);
    try {
      const current = await oauthMapsApi.aliases();
      if (!sameJson(current[channel], loaded[channel])) {
        setLoaded(current);
        setRows(current[channel] ?? []);
        setNote({ tone: "warning", text: t("oauth.maps.conflict") });
        return;
      }
      const clean = rows.map((r) => ({ name: r.name.trim(), alias: r.alias.trim(), fork: r.fork }));
      await oauthMapsApi.saveAliases(channel, clean);
      const fresh = await oauthMapsApi.aliases();
      setLoaded(fresh);
      setRows(fresh[channel] ?? []);
      setNote({ tone: "success", text: t("oauth.alias.saved", { channel, count: clean.length }) });
    } catch (cause) {
      setNote({ tone: "error", text: errorText(cause, t) });
    } finally {
      setBusy(false);
    }
  };

  const channels = [...new Set([...ALIAS_CHANNELS, ...Object.keys(loaded ?? {})])];
  return (
    <section className={surface.card} aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`} className={surface.cardTitle}>{t("oauth.alias.title")}</h2>
      <p className={formStyles.hint}>{t("oauth.alias.hint")}</p>
      <label className={formStyles.compactField} htmlFor={`${ids}-channel`}>
        {t("oauth.alias.channel")}
        <select id={`${ids}-channel`} value={channel} onChange={(e) => choose(e.target.value)}>
          {channels.map((c) => (
            <option key={c} value={c}>{c}{loaded?.[c]?.length ? ` (${loaded[c]?.length})` : ""}</option>
          ))}
        </select>
      </label>
      <datalist id={`${ids}-models`}>{models.map((m) => <option key={m.id} value={m.id}>{m.displayName}</option>)}</datalist>
      <table className={styles.aliasTable}>
        <thead>
          <tr>
            <th scope="col">{t("oauth.alias.name")}</th>
            <th scope="col">{t("oauth.alias.alias")}</th>
            <th scope="col">{t("oauth.alias.fork")}</th>
            <th scope="col"><span className={styles.visuallyHidden}>{t("oauth.alias.actions")}</span></th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => (
            <tr key={index}>
              <td><input aria-label={t("oauth.alias.nameRow", { row: index + 1 })} list={`${ids}-models`} value={row.name} onChange={(e) => update(index, { name: e.target.value })} /></td>
              <td><input aria-label={t("oauth.alias.aliasRow", { row: index + 1 })} value={row.alias} onChange={(e) => update(index, { alias: e.target.value })} /></td>
              <td><input type="checkbox" aria-label={t("oauth.alias.forkRow", { row: index + 1 })} checked={row.fork} onChange={(e) => update(index, { fork: e.target.checked })} /></td>
              <td><Button variant="ghost" onClick={() => setRows((r) => r.filter((_, i) => i !== index))}>{t("oauth.alias.remove", { row: index + 1 })}</Button></td>
            </tr>
          ))}
        </tbody>
      </table>
      {problem ? <p className={formStyles.fieldError}>{t(PROBLEMS[problem.problem], { row: problem.row })}</p> : null}
      {note ? <Alert tone={note.tone}>{note.text}</Alert> : null}
      <div className={styles.buttons}>
        <Button onClick={() => setRows((r) => [...r, { name: "", alias: "", fork: false }])}>{t("oauth.alias.add")}</Button>
        <Button variant="primary" onClick={() => void save()} disabled={busy || !loaded || problem !== null}>{t("oauth.alias.save")}</Button>
      </div>
    </section>
  );
}
