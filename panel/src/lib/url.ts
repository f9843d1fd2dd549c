/** Trims and drops trailing slashes so "http://h:8317/" and "http://h:8317" are the same server. */
export function normalizeBaseUrl(input: string): string {
  return input.trim().replace(/\/+$/, "");
}

/** An http(s) address with a host: what a CPA or usage service URL must look like. */
export function isHttpUrl(input: string): boolean {
  return /^https?:\/\/[^\s/]+/i.test(normalizeBaseUrl(input));
}
