import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { ConfigDgiiEndpoints, DgiiEndpoints } from '@app/dgii-gateway';
import { SandboxDgiiEndpoints } from '@app/dgii-sandbox';
import { createTestApp, TestApp } from './support/test-app';

/** AppModule composes the DgiiEndpoints adapter by DGII_TARGET (issue 8 item 2). */
describe('DGII endpoints as composed by the API', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('with the sandbox target, the sandbox supplies its endpoints; explicit overrides win', async () => {
    t = await createTestApp({
      env: {
        DGII_TARGET: 'sandbox',
        DGII_BASE_URL_CERTIFICATION: 'http://elsewhere:8081/dgii-sandbox/ecf/certecf',
        // DGII's own default is not an override: the sandbox target never reaches DGII.
        DGII_BASE_URL_TEST: 'https://ecf.dgii.gov.do/testecf',
      },
    });
    const port = (t.app.getHttpServer().address() as AddressInfo).port;
    const endpoints = t.app.get(DgiiEndpoints, { strict: false });
    expect(endpoints).toBeInstanceOf(SandboxDgiiEndpoints);
    expect(endpoints.ecfBase('TEST')).toBe(`http://127.0.0.1:${port}/dgii-sandbox/ecf/testecf`);
    expect(endpoints.fcBase('PRODUCTION')).toBe(`http://127.0.0.1:${port}/dgii-sandbox/fc/ecf`);
    expect(endpoints.ecfBase('CERTIFICATION')).toBe('http://elsewhere:8081/dgii-sandbox/ecf/certecf');
    // The base it names is where the sandbox really answers.
    const seed = await request(t.app.getHttpServer()).get(
      '/dgii-sandbox/ecf/testecf/autenticacion/api/autenticacion/semilla',
    );
    expect(seed.status).toBe(200);
  });

  it('with the dgii target, the configured URLs and no sandbox', async () => {
    t = await createTestApp({ env: { DGII_TARGET: 'dgii' } });
    const endpoints = t.app.get(DgiiEndpoints, { strict: false });
    expect(endpoints).toBeInstanceOf(ConfigDgiiEndpoints);
    expect(endpoints.ecfBase('TEST')).toBe('https://ecf.dgii.gov.do/testecf');
    expect(endpoints.fcBase('CERTIFICATION')).toBe('https://fc.dgii.gov.do/certecf');
    await request(t.app.getHttpServer())
      .get('/dgii-sandbox/ecf/testecf/autenticacion/api/autenticacion/semilla')
      .expect(404);
  });
});
