/** DGII environments as integrators name them (guide §7) and the URL segment each maps to. */
export const DGII_ENVIRONMENTS = ['TEST', 'CERTIFICATION', 'PRODUCTION'] as const;
export type DgiiEnvironment = (typeof DGII_ENVIRONMENTS)[number];

export type DgiiTarget = 'sandbox' | 'dgii';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** Typed configuration (DESIGN §5); produced once at boot by `loadConfig`. */
export interface AppConfig {
  nodeEnv: string;
  isProduction: boolean;
  port: number;
  /** Port of the standalone DGII sandbox (`npm run start:sandbox`). */
  sandboxPort: number;
  /** Accepted API keys. Never logged. */
  apiKeys: readonly string[];
  /** True when no keys were configured and the development key is in use. */
  usingDevApiKey: boolean;
  dgiiTarget: DgiiTarget;
  dgiiBaseUrls: Readonly<Record<DgiiEnvironment, string>>;
  dgiiFcBaseUrls: Readonly<Record<DgiiEnvironment, string>>;
  /**
   * Which of the bases above were set explicitly (`DGII_BASE_URL_*`, `DGII_FC_BASE_URL_*`) to
   * something other than DGII's own default. The sandbox target honours these and nothing else,
   * so it never reaches DGII (DESIGN §1.5).
   */
  dgiiBaseUrlOverrides: Readonly<{
    ecf: Readonly<Record<DgiiEnvironment, boolean>>;
    fc: Readonly<Record<DgiiEnvironment, boolean>>;
  }>;
  dgiiTimeoutMs: number;
  dgiiResultWaitMs: number;
  sessionTtlSeconds: number;
  logLevel: LogLevel;
  /** Largest accepted JSON body; a 1,000-line e-CF is well under this. */
  bodyLimitBytes: number;
  /** Folder with the official XSDs; when set, every signed document is validated before it is returned. */
  xsdDir?: string;
  ecfStatelessIssueEnabled: boolean;
}

export const DEV_API_KEY = 'local-dev-key';
