import { ApiError, CLIENT_CODES } from "../../lib/http";
import type { Translate } from "../../i18n/translate";

/**
 * The sentence to show for a failed call. Server errors are shown as the server wrote them
 * (they are plain sentences by contract); failures without a server body get a translated one.
 */
export function errorText(error: unknown, t: Translate): string {
  if (error instanceof ApiError) {
    if (error.code === CLIENT_CODES.network) return t("common.error.network");
    if (error.code === CLIENT_CODES.badResponse) return t("common.error.badResponse");
    if (error.code === CLIENT_CODES.httpStatus) return t("common.error.http", { status: String(error.status) });
    if (error.code === CLIENT_CODES.noUsageService) return t("common.error.noUsageService");
    return error.message;
  }
  return error instanceof Error ? error.message : String(error);
}
