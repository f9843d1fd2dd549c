import { useI18n } from "../../i18n/I18nProvider";
import { ExportCard } from "./components/ExportCard";
import styles from "./components/Data.module.css";
import { ImportCard } from "./components/ImportCard";

export function DataPage() {
  const { t } = useI18n();
  return (
    <div className={styles.page}>
      <h1 className={styles.pageTitle}>{t("data.page.title")}</h1>
      <ExportCard />
      <ImportCard />
    </div>
  );
}
