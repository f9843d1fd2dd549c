import { useId, type InputHTMLAttributes } from "react";
import styles from "./Form.module.css";

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, "id" | "value" | "onChange" | "aria-invalid" | "aria-describedby">;

interface TextFieldProps extends InputProps {
  label: string;
  value: string;
  onValue: (value: string) => void;
  /** Shown under the input; replaced by the error while there is one. */
  hint?: string;
  error?: string | null;
}

/** A labelled input whose hint turns into its error, announced through aria-describedby. */
export function TextField({ label, value, onValue, hint, error, ...input }: TextFieldProps) {
  const id = useId();
  const noteId = useId();
  const note = error || hint;
  return (
    <div className={styles.field}>
      <label htmlFor={id}>{label}</label>
      <input
        {...input}
        id={id}
        value={value}
        onChange={(event) => onValue(event.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={note ? noteId : undefined}
      />
      {note ? (
        <span id={noteId} className={error ? styles.fieldError : styles.hint}>
          {note}
        </span>
      ) : null}
    </div>
  );
}
