import { useI18n } from "../../../i18n/I18nProvider";
import { sparkPath, windowLabel } from "../logic";
import styles from "./Quota.module.css";

const WIDTH = 100;
const HEIGHT = 24;
const TONES = [styles.sparkFirst, styles.sparkSecond];

interface Props {
  /** window key → used % per bucket, for the windows the card shows (at most two are drawn). */
  lines: [string, (number | null)[]][];
}

/** Seven days of used %, one line per window, drawn as plain SVG; its name carries each window's peak. */
export function Sparkline({ lines }: Props) {
  const { t } = useI18n();
  const drawn = lines.slice(0, 2);
  const summary = drawn.length === 0 ? t("quota.card.noHistory") : drawn.map(([key, values]) => {
    const label = windowLabel(key);
    const peak = Math.max(0, ...values.filter((v): v is number => v !== null));
    return t("quota.card.historyWindow", { window: t(label.key, label.vars), peak });
  }).join(", ");
  return (
    <svg className={styles.spark} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} preserveAspectRatio="none" role="img" aria-label={t("quota.card.history", { summary })}>
      <line x1="0" x2={WIDTH} y1={HEIGHT - 0.5} y2={HEIGHT - 0.5} className={styles.sparkBase} />
      {drawn.map(([key, values], i) => (
        <path key={key} d={sparkPath(values, WIDTH, HEIGHT)} className={TONES[i]} vectorEffect="non-scaling-stroke" />
      ))}
    </svg>
  );
}
