import { useState } from "react";
import { Button } from "./Button";
import styles from "./SecretValue.module.css";

interface SecretValueProps {
  value: string;
  /** What is shown while hidden ("sk-abc…wxyz"). */
  masked: string;
  /** Names the secret in its buttons' accessible names, e.g. "Reveal: Key 2". */
  label: string;
  labels: { reveal: string; hide: string; copy: string; copied: string };
}

/**
 * A secret shown masked, with Reveal and Copy buttons. Copying works while hidden: the clear value goes
 * to the clipboard, never into the page.
 */
export function SecretValue({ value, masked, label, labels }: SecretValueProps) {
  const [shown, setShown] = useState(false);
  const [copied, setCopied] = useState(false);
  const copy = () => {
    void navigator.clipboard?.writeText(value).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  };
  return (
    <span className={styles.secret}>
      <code className={styles.value}>
        {shown ? value : masked}
      </code>
      <Button variant="ghost" className={styles.small} aria-pressed={shown} aria-label={`${shown ? labels.hide : labels.reveal}: ${label}`} onClick={() => setShown((s) => !s)}>
        {shown ? labels.hide : labels.reveal}
      </Button>
      <Button variant="ghost" className={styles.small} aria-label={`${labels.copy}: ${label}`} onClick={copy}>
        {copied ? labels.copied : labels.copy}
      </Button>
    </span>
  );
}
