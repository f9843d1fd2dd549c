import type { MessageKey } from "../../../i18n/en";
import { useI18n } from "../../../i18n/I18nProvider";
import { FIELD_IDS, fieldDef, SECTIONS, type Draft, type FieldId, type FieldProblem, type SectionId } from "../fields";
import type { Drafts, YamlProblem } from "../logic";
import styles from "./Config.module.css";
import { FieldInput } from "./FieldInput";

const SECTION_TITLES: Record<SectionId, MessageKey> = {
  server: "config.section.server",
  remote: "config.section.remote",
  logging: "config.section.logging",
  proxy: "config.section.proxy",
  retries: "config.section.retries",
  quota: "config.section.quota",
  routing: "config.section.routing",
  streaming: "config.section.streaming",
  usage: "config.section.usage",
  payload: "config.section.payload",
};

interface VisualTabProps {
  drafts: Drafts;
  onValue: (id: FieldId, value: Draft) => void;
  problems: Partial<Record<FieldId, FieldProblem>>;
  payloadProblem: YamlProblem | null;
}

/** The Visual tab: the field table's rows, grouped in sections, each a labelled control. */
export function VisualTab({ drafts, onValue, problems, payloadProblem }: VisualTabProps) {
  const { t } = useI18n();
  return (
    <div className={styles.sections}>
      {SECTIONS.map((section) => (
        <fieldset key={section} className={styles.section}>
          <legend className={styles.legend}>{t(SECTION_TITLES[section])}</legend>
          <div className={section === "payload" ? styles.wideGrid : styles.grid}>
            {FIELD_IDS.filter((id) => fieldDef(id).section === section).map((id) => (
              <FieldInput
                key={id}
                id={id}
                value={drafts[id]}
                onValue={onValue}
                problem={problems[id] ?? null}
                yamlProblem={id === "payload" ? payloadProblem : null}
              />
            ))}
          </div>
        </fieldset>
      ))}
    </div>
  );
}
