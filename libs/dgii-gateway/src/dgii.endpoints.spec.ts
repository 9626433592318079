import { loadConfig } from '@app/config';
import { ConfigDgiiEndpoints } from './dgii.endpoints';

describe('ConfigDgiiEndpoints', () => {
  it('uses the configured DGII hosts for DGII_TARGET=dgii', () => {
    const endpoints = new ConfigDgiiEndpoints(loadConfig({ DGII_TARGET: 'dgii' }));
    expect(endpoints.ecfBase('CERTIFICATION')).toBe('https://ecf.dgii.gov.do/certecf');
    expect(endpoints.fcBase('PRODUCTION')).toBe('https://fc.dgii.gov.do/ecf');
  });

  it('returns the configured URLs only, whatever the target: the sandbox brings its own adapter', () => {
    const endpoints = new ConfigDgiiEndpoints(
      loadConfig({ DGII_TARGET: 'sandbox', DGII_FC_BASE_URL_TEST: 'http://fc.example:9000/testecf/' }),
    );
    expect(endpoints.ecfBase('TEST')).toBe('https://ecf.dgii.gov.do/testecf');
    expect(endpoints.fcBase('TEST')).toBe('http://fc.example:9000/testecf');
  });
});
