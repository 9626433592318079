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
    });
    expect(config.dgiiBaseUrls.CERTIFICATION).toBe('https://ecf.dgii.gov.do/certecf');
    expect(config.dgiiFcBaseUrls.TEST).toBe('https://fc.dgii.gov.do/testecf');
    expect(config.dgiiBaseUrls.PRODUCTION).toBe('https://ecf.dgii.gov.do/ecf');
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

  it('strips trailing slashes from DGII base URLs so paths join cleanly', () => {
    expect(loadConfig({ DGII_BASE_URL_TEST: 'http://127.0.0.1:9000/testecf/' }).dgiiBaseUrls.TEST).toBe(
      'http://127.0.0.1:9000/testecf',
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
});
