import styles from "./ProgressBar.module.css";

interface ProgressBarProps {
  /** Accessible name, e.g. "Daily budget for all usage". */
  label: string;
  /** Progress in percent; may pass 100. */
  percent: number;
  /** Spoken and shown on hover instead of the bare number ("$8.00 of $10.00, 80%"). */
  valueText: string;
  /** Percent positions to mark on the track (thresholds); the scale grows to show the highest. */
  marks?: readonly number[];
  tone?: "ok" | "warning" | "over";
}

/** A horizontal bar with tick marks, exposed as a progressbar (name, value, value text). */
export function ProgressBar({ label, percent, valueText, marks = [], tone = "ok" }: ProgressBarProps) {
  const scale = Math.max(100, ...marks);
  const at = (value: number) => `${(Math.min(Math.max(value, 0), scale) / scale) * 100}%`;
  return (
    <div
      className={styles.track}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={scale}
      aria-valuenow={Math.round(Math.min(Math.max(percent, 0), scale))}
      aria-valuetext={valueText}
      title={valueText}
    >
      <div className={`${styles.fill} ${styles[tone]}`} style={{ width: at(percent) }} />
      {marks.map((mark) => (
        <span key={mark} className={styles.mark} style={{ left: at(mark) }} data-mark={mark} aria-hidden="true" />
      ))}
    </div>
  );
}
