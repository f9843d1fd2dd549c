import type { MessageKey } from "../../../i18n/en";
import { useI18n } from "../../../i18n/I18nProvider";
import type { Problem } from "../logic";
import styles from "./Providers.module.css";

export type FieldError = Problem | undefined;

export const PROBLEMS: Record<Problem, MessageKey> = {
  baseUrlDropped: "providers.problem.baseUrlDropped",
  keyRequired: "providers.problem.keyRequired",
  keyOrBaseRequired: "providers.problem.keyOrBaseRequired",
  vertexKeyRequired: "providers.problem.vertexKeyRequired",
  nameRequired: "providers.problem.nameRequired",
  weightRange: "providers.problem.weightRange",
  priorityInteger: "providers.problem.priorityInteger",
  urlInvalid: "providers.problem.urlInvalid",
  proxyInvalid: "providers.problem.proxyInvalid",
  headerName: "providers.problem.headerName",
  modelAliasRequired: "providers.problem.modelAliasRequired",
};

/** A field's problem in words, right under it. */
export function ProblemText({ error }: { error: FieldError }) {
  const { t } = useI18n();
  if (!error) return null;
  return <span className={styles.fieldError}>{t(PROBLEMS[error])}</span>;
}
