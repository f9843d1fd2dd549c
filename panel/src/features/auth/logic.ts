import type { MessageKey } from "../../i18n/en";
import { isHttpUrl, normalizeBaseUrl } from "../../lib/url";

export const DEFAULT_CPA_URL = "http://127.0.0.1:8317";

export interface SetupFormErrors {
  url?: MessageKey;
  key?: MessageKey;
}

export function validateSetupForm(url: string, key: string, needsUrl: boolean): SetupFormErrors {
  const errors: SetupFormErrors = {};
  if (needsUrl) {
    if (normalizeBaseUrl(url) === "") errors.url = "auth.form.urlRequired";
    else if (!isHttpUrl(url)) errors.url = "auth.form.urlInvalid";
  }
  if (key.trim() === "") errors.key = "auth.form.keyRequired";
  return errors;
}
