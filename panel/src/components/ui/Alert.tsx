import type { ReactNode } from "react";
import styles from "./Alert.module.css";

interface AlertProps {
  tone: "error" | "warning" | "info" | "success";
  title?: string;
  children: ReactNode;
  action?: ReactNode;
}

/** Errors are announced at once (role=alert); other tones politely (role=status). */
export function Alert({ tone, title, children, action }: AlertProps) {
  return (
    <div className={`${styles.alert} ${styles[tone]}`} role={tone === "error" ? "alert" : "status"}>
      <div className={styles.body}>
        {title ? <strong className={styles.title}>{title}</strong> : null}
        <div>{children}</div>
      </div>
      {action ? <div className={styles.action}>{action}</div> : null}
    </div>
  );
}
