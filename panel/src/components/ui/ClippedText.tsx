import styles from "./ClippedText.module.css";

/**
 * One line of text that never breaks mid-word (a masked e-mail such as "ali***@example.com" used to
 * wrap inside the name): too long for its room, it ends in an ellipsis, and the title holds all of it.
 */
export function ClippedText({ text }: { text: string }) {
  return (
    <span className={styles.clipped} title={text}>
      {text}
    </span>
  );
}
