import type { MessageKey } from "../../i18n/en";

export const DEFAULT_CPA_URL = "http://127.0.0.1:8317";

/** Trims and drops trailing slashes so "http://h:8317/" and "http://h:8317" are the same CPA. */
export function normalizeBaseUrl(input: string): string {
  return input.trim().replace(/\/+$/, "");
}

export interface SetupFormErrors {
  url?: MessageKey;
  key?: MessageKey;
}

export function validateSetupForm(url: string, key: string, needsUrl: boolean): SetupFormErrors {
  const errors: SetupFormErrors = {};
  if (needsUrl) {
    const normalized = normalizeBaseUrl(url);
    if (normalized === "") errors.url = "auth.form.urlRequired";
    else if (!/^https?:\/\/[^\s/]+/i.test(normalized)) errors.url = "auth.form.urlInvalid";
  }
  if (key.trim() === "") errors.key = "auth.form.keyRequired";
  return errors;
}
