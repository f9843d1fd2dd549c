/** Small readers for converting wire JSON into strict types at the API boundary. */

export type Json = Record<string, unknown>;

export function asRecord(value: unknown): Json {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

export function num(value: unknown, fallback = 0): number {
  return typeof value === "number" && Number.isFinite(value) ? value : fallback;
}

export function numOrNull(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

export function str(value: unknown, fallback = ""): string {
  return typeof value === "string" ? value : fallback;
}

export function boolOrNull(value: unknown): boolean | null {
  return typeof value === "boolean" ? value : null;
}

export function strList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

export function strOrNull(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

/** A wire array, or none when the field is missing or not an array. */
export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
