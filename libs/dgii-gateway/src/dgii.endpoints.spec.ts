import { HttpAdapterHost } from '@nestjs/core';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '@app/config';
import { ConfigDgiiEndpoints } from './dgii.endpoints';

function host(address: AddressInfo | string | null): HttpAdapterHost {
  return { httpAdapter: { getHttpServer: () => ({ address: () => address }) } } as unknown as HttpAdapterHost;
}

const listening = (address = '127.0.0.1', port = 40123, family = 'IPv4'): HttpAdapterHost =>
  host({ address, port, family });

describe('ConfigDgiiEndpoints', () => {
  it('uses the configured DGII hosts for DGII_TARGET=dgii', () => {
    const endpoints = new ConfigDgiiEndpoints(loadConfig({ DGII_TARGET: 'dgii' }), listening());
    expect(endpoints.ecfBase('CERTIFICATION')).toBe('https://ecf.dgii.gov.do/certecf');
    expect(endpoints.fcBase('PRODUCTION')).toBe('https://fc.dgii.gov.do/ecf');
  });

  it('points the sandbox target at this process, on the port it listens on at call time', () => {
    let port = 40123;
    const adapter = { getHttpServer: () => ({ address: () => ({ address: '::', port, family: 'IPv6' }) }) };
    const endpoints = new ConfigDgiiEndpoints(loadConfig({}), {
      httpAdapter: adapter,
    } as unknown as HttpAdapterHost);
    expect(endpoints.ecfBase('TEST')).toBe('http://127.0.0.1:40123/dgii-sandbox/ecf/testecf');
    port = 40999;
    expect(endpoints.fcBase('CERTIFICATION')).toBe('http://127.0.0.1:40999/dgii-sandbox/fc/certecf');
    expect(new ConfigDgiiEndpoints(loadConfig({}), listening('::1', 9, 'IPv6')).ecfBase('PRODUCTION')).toBe(
      'http://[::1]:9/dgii-sandbox/ecf/ecf',
    );
  });

  it('honours explicit DGII_BASE_URL_* overrides with the sandbox target', () => {
    const endpoints = new ConfigDgiiEndpoints(
      loadConfig({ DGII_BASE_URL_TEST: 'http://sandbox:8081/dgii-sandbox/ecf/testecf' }),
      listening(),
    );
    expect(endpoints.ecfBase('TEST')).toBe('http://sandbox:8081/dgii-sandbox/ecf/testecf');
    expect(endpoints.ecfBase('CERTIFICATION')).toBe('http://127.0.0.1:40123/dgii-sandbox/ecf/certecf');
  });

  it('fails as a 502 when the server is not listening', () => {
    expect(() => new ConfigDgiiEndpoints(loadConfig({}), host(null)).ecfBase('TEST')).toThrow(
      expect.objectContaining({ status: 502, message: expect.stringMatching(/not listening/) }),
    );
  });
});
