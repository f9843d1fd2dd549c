import type { MessageKey } from "../../i18n/en";
import { isHttpUrl, normalizeBaseUrl } from "../../lib/url";

export const DEFAULT_SERVICE_URL = "http://127.0.0.1:18317";

export interface ConnectFormErrors {
  serviceUrl?: MessageKey;
  cpaUrl?: MessageKey;
}

export function validateConnectForm(serviceUrl: string, cpaUrl: string): ConnectFormErrors {
  const errors: ConnectFormErrors = {};
  if (!isHttpUrl(serviceUrl)) errors.serviceUrl = "settings.usageService.urlInvalid";
  if (!isHttpUrl(cpaUrl)) errors.cpaUrl = "settings.usageService.urlInvalid";
  return errors;
}

/**
 * The address the usage service should use for CPA: this page's origin, since CPA served it. A page
 * opened from a file has no usable origin, so the user must type one.
 */
export function defaultCpaUrl(origin: string): string {
  return /^https?:\/\//i.test(origin) ? normalizeBaseUrl(origin) : "";
}
