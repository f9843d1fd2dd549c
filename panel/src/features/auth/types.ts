export interface ServiceInfo {
  service: string;
  version: string;
  configured: boolean;
}

export interface SetupResult {
  upstream: string;
  warnings: string[];
}
