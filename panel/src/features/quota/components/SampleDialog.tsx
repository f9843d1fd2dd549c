import { Button } from "../../../components/ui/Button";
import { Dialog } from "../../../components/ui/Dialog";
import { useI18n } from "../../../i18n/I18nProvider";
import { sampleText } from "../logic";
import styles from "./Quota.module.css";

/** The redacted sample of an answer no parser knew, for a bug report. */
export function SampleDialog({ name, detail, onClose }: { name: string; detail: string | null; onClose: () => void }) {
  const { t } = useI18n();
  return (
    <Dialog title={t("quota.card.sampleTitle", { name })} onClose={onClose} wide actions={<Button onClick={onClose}>{t("quota.card.close")}</Button>}>
      <p>{t("quota.card.sampleHelp")}</p>
      <pre className={styles.sample}>{sampleText(detail)}</pre>
    </Dialog>
  );
}
