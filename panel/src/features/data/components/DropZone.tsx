import { useId, useRef, useState, type DragEvent, type KeyboardEvent } from "react";
import { useI18n } from "../../../i18n/I18nProvider";
import { IMPORT_ACCEPT } from "../logic";
import styles from "./Data.module.css";

interface DropZoneProps {
  disabled: boolean;
  onFile: (file: File) => void;
}

/** A drop target that is also a button: click, Enter or Space opens the file picker. Its name says what it
 * does; the drop instructions are its description, so a screen reader hears both without a sentence as name. */
export function DropZone({ disabled, onFile }: DropZoneProps) {
  const { t } = useI18n();
  const input = useRef<HTMLInputElement>(null);
  const [active, setActive] = useState(false);
  const hintId = useId();

  const open = () => {
    if (!disabled) input.current?.click();
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      open();
    }
  };
  const onDragOver = (event: DragEvent) => {
    event.preventDefault();
    if (!disabled) setActive(true);
  };
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setActive(false);
    const file = event.dataTransfer.files[0];
    if (file && !disabled) onFile(file);
  };

  return (
    <div
      role="button"
      tabIndex={disabled ? -1 : 0}
      aria-disabled={disabled}
      aria-label={t("data.import.choose")}
      aria-describedby={hintId}
      className={`${styles.drop} ${active ? styles.dropActive : ""}`}
      onClick={open}
      onKeyDown={onKeyDown}
      onDragOver={onDragOver}
      onDragEnter={onDragOver}
      onDragLeave={() => setActive(false)}
      onDrop={onDrop}
    >
      <span aria-hidden="true">⇪</span>
      <span id={hintId}>{active ? t("data.import.dropActive") : t("data.import.drop")}</span>
      <input
        ref={input}
        type="file"
        accept={IMPORT_ACCEPT}
        className={styles.hiddenInput}
        tabIndex={-1}
        aria-hidden="true"
        onChange={(event) => {
          const file = event.target.files?.[0];
          event.target.value = "";
          if (file) onFile(file);
        }}
      />
    </div>
  );
}
