import { useI18n } from "../../../i18n/I18nProvider";
import type { MessageKey } from "../../../i18n/en";
import { formatCompact, formatPercent } from "../../../lib/format";
import { tokenMix } from "../logic";
import type { Kpis } from "../types";
import styles from "./Monitoring.module.css";

const PART_LABELS: Record<ReturnType<typeof tokenMix>[number]["part"], MessageKey> = {
  uncachedInput: "monitoring.mix.uncachedInput",
  cacheRead: "monitoring.mix.cacheRead",
  cacheWrite: "monitoring.mix.cacheWrite",
  output: "monitoring.mix.output",
};

/** One stacked bar of where the tokens went, with the numbers as a list (the bar is decoration). */
export function TokenMix({ kpis }: { kpis: Kpis | null }) {
  const { t, language } = useI18n();
  const parts = kpis ? tokenMix(kpis.tokens) : [];
  const total = parts.reduce((sum, p) => sum + p.tokens, 0);
  return (
    <section className={styles.card} aria-labelledby="token-mix-title">
      <h2 id="token-mix-title" className={styles.cardTitle}>
        {t("monitoring.mix.title")}
      </h2>
      {!kpis ? (
        <p aria-live="polite">{t("common.status.loading")}</p>
      ) : total === 0 ? (
        <p className={styles.muted}>{t("monitoring.mix.empty")}</p>
      ) : (
        <>
          <div className={styles.mixBar} aria-hidden="true">
            {parts.map((p) =>
              p.share > 0 ? <span key={p.part} className={styles[`mix_${p.part}`]} style={{ flexGrow: p.share }} /> : null,
            )}
          </div>
          <ul className={styles.mixLegend}>
            {parts.map((p) => (
              <li key={p.part}>
                <span className={`${styles.mixSwatch} ${styles[`mix_${p.part}`]}`} aria-hidden="true" />
                {t(PART_LABELS[p.part])}: <strong>{formatCompact(p.tokens, language)}</strong> (
                {formatPercent(p.share, language)})
              </li>
            ))}
          </ul>
          {kpis.tokens.reasoning > 0 ? (
            <p className={styles.muted}>{t("monitoring.mix.reasoning", { count: formatCompact(kpis.tokens.reasoning, language) })}</p>
          ) : null}
        </>
      )}
    </section>
  );
}
