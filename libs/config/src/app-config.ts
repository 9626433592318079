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
  /** DGII's single service-status host (PROTOCOL §1.3 #14), `DGII_STATUS_BASE_URL`. */
  dgiiStatusBaseUrl: string;
  /** True when `DGII_STATUS_BASE_URL` was set to something other than DGII's own host. */
  dgiiStatusBaseUrlOverridden: boolean;
  /**
   * `DGII_STATUS_API_KEY`, sent as `Authorization: Apikey {key}`. A credential: never logged.
   * With `DGII_TARGET=sandbox` and no key, `SANDBOX_STATUS_API_KEY` (the sandbox accepts it).
   * Undefined: the DGII status route answers 503 NOT_CONFIGURED.
   */
  dgiiStatusApiKey?: string;
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
  /** `SIGNING_THREADS`: threads that make RSA signatures; 0 (default) = one per core but one. */
  signingThreads: number;
  rateLimits: RateLimitSettings;
  /** Holding and pushing inbound events to the integrator (issue 10 §3). Read by `@app/inbound` only. */
  inboundEvents: InboundEventsSettings;
  /**
   * `INBOUND_HOST_SUFFIX`: the receptor answers on `{rnc}.{suffix}` (lower case, no port); when
   * unset only path routing `/receptor/{rnc}/fe/...` serves it (PROTOCOL §8).
   */
  inboundHostSuffix?: string;
  /** `INBOUND_RATE_LIMIT_PER_IP`: requests per second a source address may make to the receptor; 0 = unlimited. */
  inboundRatePerIp: number;
  /** Outbound calls to taxpayers' electronic receptors (PROTOCOL §8, issue 11 §4). */
  receptor: ReceptorSettings;
  /** Where shared state lives (issue 13): this process (`memory`, the default) or Redis. */
  store: StoreSettings;
}

/**
 * Bounds on calls to receptors: URLs taken from DGII's directory point anywhere, so they are
 * treated as untrusted (SSRF): https only in production, no private/loopback/link-local address
 * unless allowed (development), a timeout and a response size cap.
 */
export interface ReceptorSettings {
  timeoutMs: number;
  maxResponseBytes: number;
  /** http:// receptor URLs are refused in production. */
  httpsOnly: boolean;
  /** Private, loopback and link-local addresses; default true only with NODE_ENV=development. */
  allowPrivateAddresses: boolean;
}

/** Inbound events: how long and how many are held, and how their callbacks are retried. */
export interface InboundEventsSettings {
  /** Delays between callback tries (INBOUND_RETRY_SCHEDULE); one try more than there are delays. */
  retryScheduleMs: readonly number[];
  /** An event is never held longer than this (INBOUND_RETENTION_HOURS). */
  retentionHours: number;
  /** Events held per receptor RNC; past it the oldest delivered one is dropped. */
  maxEventsPerReceptor: number;
  /** One callback POST is abandoned (and retried) after this. */
  callbackTimeoutMs: number;
}

export type StoreKind = 'memory' | 'redis';

/** Read by `@app/redis` and the stores' modules only. */
export interface StoreSettings {
  kind: StoreKind;
  /** `redis://`, `rediss://`, `redis-sentinel://h1:26379,h2:26379/master`, `redis-cluster://h1:6379,h2:6379`. Never logged. */
  redisUrl?: string;
  /** Every key this service writes starts with it, so several deployments can share one Redis. */
  keyPrefix: string;
  /** A Redis command that takes longer fails with 503 STORE_UNAVAILABLE (never a hang). */
  commandTimeoutMs: number;
  /** How long a replica keeps a decrypted session in memory before reading Redis again. */
  sessionCacheTtlMs: number;
  /** How long a duplicate `/ecf/issue` waits for the first run on another replica before 409 IDEMPOTENCY_IN_PROGRESS. */
  idempotencyWaitMs: number;
  /** 32-byte server key for stored responses (`FISCALIACORE_DATA_KEY`); never logged. */
  dataKey?: Buffer;
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

/** The status API key the embedded sandbox accepts when `DGII_STATUS_API_KEY` is not set (not a secret). */
export const SANDBOX_STATUS_API_KEY = 'sandbox-status-key';

/** DGII's service-status host (PROTOCOL §1.3 #14a–c): one host, no environment segment. */
export const DGII_STATUS_DEFAULT_URL = 'https://statusecf.dgii.gov.do';
