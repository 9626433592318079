import { HttpAdapterHost } from '@nestjs/core';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '@app/config';
import { SandboxDgiiEndpoints } from './sandbox-dgii.endpoints';

function host(address: AddressInfo | string | null): HttpAdapterHost {
  return { httpAdapter: { getHttpServer: () => ({ address: () => address }) } } as unknown as HttpAdapterHost;
}

const listening = (address = '127.0.0.1', port = 40123, family = 'IPv4'): HttpAdapterHost =>
  host({ address, port, family });

describe('SandboxDgiiEndpoints', () => {
  it('points the sandbox target at this process, on the port it listens on at call time', () => {
    let port = 40123;
    const adapter = { getHttpServer: () => ({ address: () => ({ address: '::', port, family: 'IPv6' }) }) };
    const endpoints = new SandboxDgiiEndpoints(loadConfig({}), {
      httpAdapter: adapter,
    } as unknown as HttpAdapterHost);
    expect(endpoints.ecfBase('TEST')).toBe('http://127.0.0.1:40123/dgii-sandbox/ecf/testecf');
    port = 40999;
    expect(endpoints.fcBase('CERTIFICATION')).toBe('http://127.0.0.1:40999/dgii-sandbox/fc/certecf');
    expect(new SandboxDgiiEndpoints(loadConfig({}), listening('::1', 9, 'IPv6')).ecfBase('PRODUCTION')).toBe(
      'http://[::1]:9/dgii-sandbox/ecf/ecf',
    );
  });

  it('honours explicit DGII_BASE_URL_* overrides with the sandbox target', () => {
    const endpoints = new SandboxDgiiEndpoints(
      loadConfig({ DGII_BASE_URL_TEST: 'http://sandbox:8081/dgii-sandbox/ecf/testecf' }),
      listening(),
    );
    expect(endpoints.ecfBase('TEST')).toBe('http://sandbox:8081/dgii-sandbox/ecf/testecf');
    expect(endpoints.ecfBase('CERTIFICATION')).toBe('http://127.0.0.1:40123/dgii-sandbox/ecf/certecf');
  });

  it('never reaches DGII: a base equal to the DGII default is not an override (DESIGN §1.5)', () => {
    const endpoints = new SandboxDgiiEndpoints(
      loadConfig({
        DGII_BASE_URL_TEST: 'https://ecf.dgii.gov.do/testecf/',
        DGII_FC_BASE_URL_TEST: 'https://fc.dgii.gov.do/testecf',
        DGII_FC_BASE_URL_CERTIFICATION: 'http://fc-stub:9000/certecf',
      }),
      listening(),
    );
    expect(endpoints.ecfBase('TEST')).toBe('http://127.0.0.1:40123/dgii-sandbox/ecf/testecf');
    expect(endpoints.fcBase('TEST')).toBe('http://127.0.0.1:40123/dgii-sandbox/fc/testecf');
    expect(endpoints.fcBase('CERTIFICATION')).toBe('http://fc-stub:9000/certecf');
  });

  it('fails as a 502 when the server is not listening', () => {
    expect(() => new SandboxDgiiEndpoints(loadConfig({}), host(null)).ecfBase('TEST')).toThrow(
      expect.objectContaining({ status: 502, message: expect.stringMatching(/not listening/) }),
    );
  });
});
