import { ConfigError, loadConfig } from './load-config';

describe('loadConfig', () => {
  it('serves a local run with defaults: sandbox, dev key, port 8080, 15-minute sessions', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 8080,
      dgiiTarget: 'sandbox',
      apiKeys: ['local-dev-key'],
      usingDevApiKey: true,
      sessionTtlSeconds: 900,
      dgiiTimeoutMs: 30_000,
      dgiiResultWaitMs: 5_000,
      logLevel: 'info',
      ecfStatelessIssueEnabled: true,
      http: {
        headersTimeoutMs: 10_000,
        requestTimeoutMs: 60_000,
        keepAliveTimeoutMs: 5_000,
        shutdownGraceMs: 10_000,
      },
      rateLimits: {
        requestsPerSecond: 5_000,
        authFailures: 50,
        authFailureWindowSeconds: 60,
        maxSessionsPerKey: 100,
        unlockConcurrencyPerKey: 2,
      },
    });
    expect(config.dgiiBaseUrls.CERTIFICATION).toBe('https://ecf.dgii.gov.do/certecf');
    expect(config.dgiiFcBaseUrls.TEST).toBe('https://fc.dgii.gov.do/testecf');
    expect(config.dgiiBaseUrls.PRODUCTION).toBe('https://ecf.dgii.gov.do/ecf');
  });

  it('reads SIGNING_THREADS: 0 (every core but one) unless set to 1–64', () => {
    expect(loadConfig({}).signingThreads).toBe(0);
    expect(loadConfig({ SIGNING_THREADS: '3' }).signingThreads).toBe(3);
    expect(() => loadConfig({ SIGNING_THREADS: 'many' })).toThrow('SIGNING_THREADS');
    expect(() => loadConfig({ SIGNING_THREADS: '65' })).toThrow('SIGNING_THREADS');
  });

  it('parses several API keys', () => {
    const config = loadConfig({ FISCALIACORE_API_KEYS: ' first-key-0001 , second-key-0002 ,' });
    expect(config.apiKeys).toEqual(['first-key-0001', 'second-key-0002']);
    expect(config.usingDevApiKey).toBe(false);
  });

  it('refuses production without API keys', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/FISCALIACORE_API_KEYS is required/);
  });

  it('defaults production to real DGII and refuses the sandbox there', () => {
    expect(loadConfig({ NODE_ENV: 'production', FISCALIACORE_API_KEYS: 'prod-key-000001' }).dgiiTarget).toBe(
      'dgii',
    );
    expect(() =>
      loadConfig({
        NODE_ENV: 'production',
        FISCALIACORE_API_KEYS: 'prod-key-000001',
        DGII_TARGET: 'sandbox',
      }),
    ).toThrow(/DGII_TARGET cannot be "sandbox"/);
  });

  it.each([
    ['PORT', 'eighty'],
    ['SESSION_TTL_SECONDS', '99999999'],
    ['DGII_TIMEOUT_MS', '-5'],
    ['DGII_BASE_URL_TEST', 'ftp://nope'],
    ['LOG_LEVEL', 'loud'],
    ['DGII_TARGET', 'mars'],
    ['ECF_STATELESS_ISSUE_ENABLED', 'maybe'],
    ['HTTP_HEADERS_TIMEOUT_MS', '50'],
    ['HTTP_REQUEST_TIMEOUT_MS', 'soon'],
    ['HTTP_KEEP_ALIVE_TIMEOUT_MS', '9999999'],
    ['SHUTDOWN_GRACE_MS', '-1'],
    ['RATE_LIMIT_RPS_PER_KEY', '-1'],
    ['RATE_LIMIT_AUTH_FAILURES', 'lots'],
    ['RATE_LIMIT_AUTH_FAILURE_WINDOW_SECONDS', '9999999'],
    ['MAX_SESSIONS_PER_KEY', '99999999'],
    ['UNLOCK_CONCURRENCY_PER_KEY', '5000'],
    ['RECEPTOR_TIMEOUT_MS', '7'],
    ['RECEPTOR_MAX_RESPONSE_BYTES', 'big'],
    ['RECEPTOR_ALLOW_PRIVATE_ADDRESSES', 'perhaps'],
  ])('names %s but never its value when invalid', (variable, value) => {
    let error: unknown;
    try {
      loadConfig({ [variable]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(variable);
    expect((error as Error).message).not.toContain(value);
  });

  it('never prints a short API key it refuses', () => {
    expect(() => loadConfig({ FISCALIACORE_API_KEYS: 'shortsecret' })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('shortsecret') }),
    );
  });

  it('reads the per-key limits, 0 turning a rate off', () => {
    const { rateLimits } = loadConfig({
      RATE_LIMIT_RPS_PER_KEY: '0',
      RATE_LIMIT_AUTH_FAILURES: '3',
      RATE_LIMIT_AUTH_FAILURE_WINDOW_SECONDS: '600',
      MAX_SESSIONS_PER_KEY: '7',
      UNLOCK_CONCURRENCY_PER_KEY: '1',
    });
    expect(rateLimits).toEqual({
      requestsPerSecond: 0,
      authFailures: 3,
      authFailureWindowSeconds: 600,
      maxSessionsPerKey: 7,
      unlockConcurrencyPerKey: 1,
    });
  });

  it('reads the receptor host suffix (lower case, dots trimmed) and the per-address rate', () => {
    expect(loadConfig({})).toMatchObject({ inboundHostSuffix: undefined, inboundRatePerIp: 50 });
    expect(
      loadConfig({ INBOUND_HOST_SUFFIX: ' .ECF.Example.com. ', INBOUND_RATE_LIMIT_PER_IP: '0' }),
    ).toMatchObject({ inboundHostSuffix: 'ecf.example.com', inboundRatePerIp: 0 });
    expect(() => loadConfig({ INBOUND_HOST_SUFFIX: 'localhost' })).toThrow(/INBOUND_HOST_SUFFIX/);
    expect(() => loadConfig({ INBOUND_HOST_SUFFIX: 'ecf.example.com/x' })).toThrow(/INBOUND_HOST_SUFFIX/);
    expect(() => loadConfig({ INBOUND_RATE_LIMIT_PER_IP: '-1' })).toThrow(/INBOUND_RATE_LIMIT_PER_IP/);
  });

  it('strips trailing slashes from DGII base URLs so paths join cleanly', () => {
    expect(loadConfig({ DGII_BASE_URL_TEST: 'http://127.0.0.1:9000/testecf/' }).dgiiBaseUrls.TEST).toBe(
      'http://127.0.0.1:9000/testecf',
    );
  });

  it('reads the HTTP server bounds and refuses a headers timeout beyond the request timeout', () => {
    expect(
      loadConfig({
        HTTP_HEADERS_TIMEOUT_MS: '2000',
        HTTP_REQUEST_TIMEOUT_MS: '30000',
        HTTP_KEEP_ALIVE_TIMEOUT_MS: '65000',
        SHUTDOWN_GRACE_MS: '0',
      }).http,
    ).toEqual({
      headersTimeoutMs: 2_000,
      requestTimeoutMs: 30_000,
      keepAliveTimeoutMs: 65_000,
      shutdownGraceMs: 0,
    });
    expect(() => loadConfig({ HTTP_HEADERS_TIMEOUT_MS: '20000', HTTP_REQUEST_TIMEOUT_MS: '10000' })).toThrow(
      /HTTP_HEADERS_TIMEOUT_MS must not exceed HTTP_REQUEST_TIMEOUT_MS/,
    );
  });

  it("tells which DGII bases were overridden; DGII's own default is not an override", () => {
    const none = loadConfig({});
    expect(none.dgiiBaseUrlOverrides).toEqual({
      ecf: { TEST: false, CERTIFICATION: false, PRODUCTION: false },
      fc: { TEST: false, CERTIFICATION: false, PRODUCTION: false },
    });
    const some = loadConfig({
      DGII_BASE_URL_TEST: 'http://sandbox:8081/dgii-sandbox/ecf/testecf',
      DGII_BASE_URL_CERTIFICATION: 'https://ecf.dgii.gov.do/certecf/',
      DGII_FC_BASE_URL_PRODUCTION: 'http://fc.example:9000/ecf',
    });
    expect(some.dgiiBaseUrlOverrides).toEqual({
      ecf: { TEST: true, CERTIFICATION: false, PRODUCTION: false },
      fc: { TEST: false, CERTIFICATION: false, PRODUCTION: true },
    });
  });

  it('bounds receptor calls: private addresses only in development, never in production', () => {
    expect(loadConfig({ NODE_ENV: 'development' }).receptor).toEqual({
      timeoutMs: 10_000,
      maxResponseBytes: 1_048_576,
      httpsOnly: false,
      allowPrivateAddresses: true,
    });
    expect(loadConfig({ NODE_ENV: 'test' }).receptor.allowPrivateAddresses).toBe(false);
    const production = { NODE_ENV: 'production', FISCALIACORE_API_KEYS: 'prod-key-000001' };
    expect(loadConfig(production).receptor).toMatchObject({ httpsOnly: true, allowPrivateAddresses: false });
    expect(() => loadConfig({ ...production, RECEPTOR_ALLOW_PRIVATE_ADDRESSES: 'true' })).toThrow(
      /RECEPTOR_ALLOW_PRIVATE_ADDRESSES cannot be true/,
    );
  });

  describe('shared store (issue 13)', () => {
    const KEY = Buffer.alloc(32, 1).toString('base64');
    const production = { NODE_ENV: 'production', FISCALIACORE_API_KEYS: 'production-key-0001' };

    it('is memory by default, with bounded Redis timings for when it is not', () => {
      expect(loadConfig({}).store).toEqual({
        kind: 'memory',
        redisUrl: undefined,
        keyPrefix: 'fiscaliacore:',
        commandTimeoutMs: 500,
        sessionCacheTtlMs: 5_000,
        idempotencyWaitMs: 10_000,
        dataKey: undefined,
      });
    });

    it('redis needs REDIS_URL of a Redis scheme, Sentinel and cluster lists included', () => {
      expect(() => loadConfig({ SESSION_STORE: 'redis' })).toThrow(/REDIS_URL is required/);
      expect(() => loadConfig({ SESSION_STORE: 'redis', REDIS_URL: 'http://x:6379' })).toThrow(
        /REDIS_URL must be/,
      );
      expect(() => loadConfig({ SESSION_STORE: 'mongo' })).toThrow(/SESSION_STORE must be/);
      for (const url of [
        'redis://h:6379/0',
        'rediss://:pw@h:6380',
        'redis-sentinel://a:26379,b:26379/m',
        'redis-cluster://a:6379,b:6379',
      ]) {
        expect(loadConfig({ SESSION_STORE: 'redis', REDIS_URL: url }).store).toMatchObject({
          kind: 'redis',
          redisUrl: url,
        });
      }
    });

    it('production with redis requires FISCALIACORE_DATA_KEY of 32 bytes, and never prints it', () => {
      const redis = { ...production, SESSION_STORE: 'redis', REDIS_URL: 'redis://:s3cr3t-redis-pw@h:6379' };
      expect(() => loadConfig(redis)).toThrow(/FISCALIACORE_DATA_KEY is required/);
      expect(loadConfig({ ...redis, FISCALIACORE_DATA_KEY: KEY }).store.dataKey).toEqual(Buffer.alloc(32, 1));
      expect(loadConfig({ ...redis, FISCALIACORE_DATA_KEY: 'ab'.repeat(32) }).store.dataKey).toEqual(
        Buffer.alloc(32, 0xab),
      );
      const short = Buffer.alloc(16, 2).toString('base64');
      let message = '';
      try {
        loadConfig({ ...redis, FISCALIACORE_DATA_KEY: short });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/FISCALIACORE_DATA_KEY must be 32 bytes/);
      expect(message).not.toContain(short);
      expect(message).not.toContain('s3cr3t-redis-pw');
      // Memory in production needs no data key.
      expect(loadConfig(production).store.kind).toBe('memory');
    });

    it('checks the prefix and the timings', () => {
      expect(() => loadConfig({ REDIS_KEY_PREFIX: 'bad prefix' })).toThrow(/REDIS_KEY_PREFIX/);
      expect(() => loadConfig({ REDIS_COMMAND_TIMEOUT_MS: '0' })).toThrow(
        /REDIS_COMMAND_TIMEOUT_MS must be between/,
      );
      expect(loadConfig({ SESSION_CACHE_TTL_MS: '0', IDEMPOTENCY_WAIT_MS: '250' }).store).toMatchObject({
        sessionCacheTtlMs: 0,
        idempotencyWaitMs: 250,
      });
    });
  });
});
