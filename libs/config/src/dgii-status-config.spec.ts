import { DGII_STATUS_DEFAULT_URL, SANDBOX_STATUS_API_KEY } from './app-config';
import { ConfigError, loadConfig } from './load-config';

describe('loadConfig: DGII service status (PROTOCOL §1.3 #14)', () => {
  it("defaults to DGII's single status host, not overridden", () => {
    const config = loadConfig({ DGII_TARGET: 'dgii' });
    expect(config.dgiiStatusBaseUrl).toBe(DGII_STATUS_DEFAULT_URL);
    expect(config.dgiiStatusBaseUrlOverridden).toBe(false);
    expect(config.dgiiStatusApiKey).toBeUndefined();
  });

  it('takes a base URL (trailing slashes dropped; DGII’s own URL is no override) and a key', () => {
    const config = loadConfig({
      DGII_TARGET: 'dgii',
      DGII_STATUS_BASE_URL: 'http://status.example:9000/',
      DGII_STATUS_API_KEY: ' abc-123 ',
    });
    expect(config.dgiiStatusBaseUrl).toBe('http://status.example:9000');
    expect(config.dgiiStatusBaseUrlOverridden).toBe(true);
    expect(config.dgiiStatusApiKey).toBe('abc-123');
    expect(
      loadConfig({ DGII_STATUS_BASE_URL: 'https://statusecf.dgii.gov.do/' }).dgiiStatusBaseUrlOverridden,
    ).toBe(false);
  });

  it('gives the sandbox target its own non-secret key when none is set, and keeps a set one', () => {
    expect(loadConfig({ DGII_TARGET: 'sandbox' }).dgiiStatusApiKey).toBe(SANDBOX_STATUS_API_KEY);
    expect(loadConfig({ DGII_TARGET: 'sandbox', DGII_STATUS_API_KEY: 'k-1' }).dgiiStatusApiKey).toBe('k-1');
  });

  it.each([
    ['DGII_STATUS_BASE_URL', 'ftp://status.example'],
    ['DGII_STATUS_BASE_URL', 'not a url'],
    ['DGII_STATUS_API_KEY', 'has a space inside'],
    ['DGII_STATUS_API_KEY', 'line\nbreak'],
  ])('refuses %s=%j, naming the variable and never the value', (name, value) => {
    let error: unknown;
    try {
      loadConfig({ DGII_TARGET: 'dgii', [name]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe(name);
    expect((error as Error).message).not.toContain(value);
  });
});
