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
  /** Certification runs (libs/certification): kept this long after their session ends, and the workbook cap. */
  certification: Readonly<{
    runRetentionMs: number;
    /** How long a send run waits for one e-CF's final verdict before it stops the run. */
    verdictWaitMs: number;
    maxWorkbookBytes: number;
  }>;
  sessionTtlSeconds: number;
  logLevel: LogLevel;
  /** Largest accepted JSON body; a 1,000-line e-CF is well under this. */
  bodyLimitBytes: number;
  /** Folder with the official XSDs; when set, every signed document is validated before it is returned. */
  xsdDir?: string;
  ecfStatelessIssueEnabled: boolean;
  /** Bounds on slow or idle clients and the shutdown drain; only the HTTP server reads it. */
  http: HttpServerConfig;
  rateLimits: RateLimitSettings;
}

/**
 * The node HTTP server's limits. `requestTimeoutMs` bounds receiving a request (headers and
 * body), not the time we take to answer, so a long issue call is not cut by it.
 */
export interface HttpServerConfig {
  /** A client must finish its request headers within this (slowloris). */
  headersTimeoutMs: number;
  /** A client must finish sending its whole request (headers and body) within this. */
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. */
  keepAliveTimeoutMs: number;
  /** On SIGTERM/SIGINT, in-flight requests get this long to finish before their sockets are destroyed. */
  shutdownGraceMs: number;
}

/** Per-API-key limits (issue 7 §2); 0 turns a rate off. Read by `@app/rate-limit` only. */
export interface RateLimitSettings {
  /** Requests per second per API key (sliding one-second window); 0 = unlimited. */
  requestsPerSecond: number;
  /** Failed authentications (bad bearer or password per key, bad API key per client IP) per window; 0 = unlimited. */
  authFailures: number;
  authFailureWindowSeconds: number;
  /** Open sessions per API key. */
  maxSessionsPerKey: number;
  /** .p12 unlocks running at once per API key (each may take up to about a second of CPU). */
  unlockConcurrencyPerKey: number;
}

export const DEV_API_KEY = 'local-dev-key';
