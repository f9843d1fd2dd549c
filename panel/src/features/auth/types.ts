export interface SetupResult {
  upstream: string;
  warnings: string[];
}
