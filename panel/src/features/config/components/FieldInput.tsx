import { useId } from "react";
import { TextField } from "../../../components/ui/TextField";
import type { MessageKey } from "../../../i18n/en";
import { useI18n } from "../../../i18n/I18nProvider";
import type { Translate } from "../../../i18n/translate";
import { fieldDef, type Draft, type FieldId, type FieldProblem } from "../fields";
import type { YamlProblem } from "../logic";
import styles from "./Config.module.css";

export const FIELD_LABELS: Record<FieldId, MessageKey> = {
  host: "config.field.host",
  port: "config.field.port",
  tlsEnable: "config.field.tlsEnable",
  tlsCert: "config.field.tlsCert",
  tlsKey: "config.field.tlsKey",
  allowRemote: "config.field.allowRemote",
  disableControlPanel: "config.field.disableControlPanel",
  debug: "config.field.debug",
  loggingToFile: "config.field.loggingToFile",
  logsMaxTotalSizeMb: "config.field.logsMaxTotalSizeMb",
  errorLogsMaxFiles: "config.field.errorLogsMaxFiles",
  requestLog: "config.field.requestLog",
  proxyUrl: "config.field.proxyUrl",
  requestRetry: "config.field.requestRetry",
  maxRetryCredentials: "config.field.maxRetryCredentials",
  maxRetryInterval: "config.field.maxRetryInterval",
  switchProject: "config.field.switchProject",
  switchPreviewModel: "config.field.switchPreviewModel",
  strategy: "config.field.strategy",
  sessionAffinity: "config.field.sessionAffinity",
  sessionAffinityTtl: "config.field.sessionAffinityTtl",
  keepaliveSeconds: "config.field.keepaliveSeconds",
  bootstrapRetries: "config.field.bootstrapRetries",
  nonstreamKeepaliveInterval: "config.field.nonstreamKeepaliveInterval",
  usageStatisticsEnabled: "config.field.usageStatisticsEnabled",
  queueRetentionSeconds: "config.field.queueRetentionSeconds",
  payload: "config.field.payload",
};

const HINTS: Partial<Record<FieldId, MessageKey>> = {
  host: "config.hint.host",
  allowRemote: "config.hint.allowRemote",
  logsMaxTotalSizeMb: "config.hint.logsMaxTotalSizeMb",
  maxRetryInterval: "config.hint.maxRetryInterval",
  switchProject: "config.hint.quotaV8",
  switchPreviewModel: "config.hint.quotaV8",
  sessionAffinityTtl: "config.hint.sessionAffinityTtl",
  keepaliveSeconds: "config.hint.seconds",
  nonstreamKeepaliveInterval: "config.hint.seconds",
  queueRetentionSeconds: "config.hint.queueRetentionSeconds",
  payload: "config.hint.payload",
};

const STRATEGY_LABELS: Record<string, MessageKey> = {
  "round-robin": "config.strategy.roundRobin",
  "weighted-round-robin": "config.strategy.weightedRoundRobin",
  "fill-first": "config.strategy.fillFirst",
};

export function problemText(problem: FieldProblem, t: Translate): string {
  switch (problem.kind) {
    case "notInteger":
      return t("config.problem.notInteger");
    case "tooSmall":
      return t("config.problem.tooSmall", { min: problem.min });
    case "tooLarge":
      return t("config.problem.tooLarge", { max: problem.max });
    case "notDuration":
      return t("config.problem.notDuration");
    case "notOption":
      return t("config.problem.notOption");
  }
}

interface FieldInputProps {
  id: FieldId;
  value: Draft;
  onValue: (id: FieldId, value: Draft) => void;
  problem: FieldProblem | null;
  yamlProblem: YamlProblem | null;
}

/** One labelled control for a field of the table in ../fields.ts, by its kind. */
export function FieldInput({ id, value, onValue, problem, yamlProblem }: FieldInputProps) {
  const { t } = useI18n();
  const inputId = useId();
  const noteId = useId();
  const def = fieldDef(id);
  const label = t(FIELD_LABELS[id]);
  const hintKey = HINTS[id];
  const hint = hintKey ? t(hintKey) : undefined;

  if (def.kind === "bool") {
    return (
      <div className={styles.check}>
        <input
          id={inputId}
          type="checkbox"
          checked={value === true}
          onChange={(event) => onValue(id, event.target.checked)}
          aria-describedby={hint ? noteId : undefined}
        />
        <label htmlFor={inputId}>{label}</label>
        {hint ? (
          <span id={noteId} className={styles.hint}>
            {hint}
          </span>
        ) : null}
      </div>
    );
  }
  if (def.kind === "enum") {
    return (
      <div className={styles.field}>
        <label htmlFor={inputId}>{label}</label>
        <select id={inputId} value={String(value)} onChange={(event) => onValue(id, event.target.value)}>
          <option value="">{t("config.value.default", { value: t(STRATEGY_LABELS[def.fallback] ?? "config.strategy.roundRobin") })}</option>
          {def.options.map((option) => (
            <option key={option} value={option}>
              {STRATEGY_LABELS[option] ? t(STRATEGY_LABELS[option]) : option}
            </option>
          ))}
          {value !== "" && !def.options.includes(String(value)) ? <option value={String(value)}>{String(value)}</option> : null}
        </select>
        {problem ? <span className={styles.fieldError}>{problemText(problem, t)}</span> : null}
      </div>
    );
  }
  if (def.kind === "yaml") {
    const error = yamlProblem ? t("config.problem.yaml", { line: String(yamlProblem.line), message: yamlProblem.message }) : null;
    return (
      <div className={styles.field}>
        <label htmlFor={inputId}>{label}</label>
        <textarea
          id={inputId}
          className={styles.yamlArea}
          value={String(value)}
          spellCheck={false}
          rows={Math.min(Math.max(String(value).split("\n").length + 1, 4), 20)}
          onChange={(event) => onValue(id, event.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={noteId}
        />
        <span id={noteId} className={error ? styles.fieldError : styles.hint}>
          {error ?? hint}
        </span>
      </div>
    );
  }
  return (
    <TextField
      label={label}
      value={String(value)}
      onValue={(next) => onValue(id, next)}
      {...(hint ? { hint } : {})}
      {...("placeholder" in def && def.placeholder ? { placeholder: def.placeholder } : {})}
      {...(def.kind === "int" ? { inputMode: "numeric" as const } : {})}
      error={problem ? problemText(problem, t) : null}
      spellCheck={false}
      autoComplete="off"
    />
  );
}
