import { useId } from "react";
import { useI18n } from "./I18nProvider";
import { isLanguage, LANGUAGE_NAMES, LANGUAGES } from "./translate";

export function LanguageSelect({ className }: { className?: string }) {
  const { language, setLanguage, t } = useI18n();
  const id = useId();
  return (
    <span className={className}>
      <label htmlFor={id}>{t("app.header.language")}</label>{" "}
      <select
        id={id}
        value={language}
        onChange={(event) => {
          if (isLanguage(event.target.value)) setLanguage(event.target.value);
        }}
      >
        {LANGUAGES.map((code) => (
          <option key={code} value={code} lang={code}>
            {LANGUAGE_NAMES[code]}
          </option>
        ))}
      </select>
    </span>
  );
}
