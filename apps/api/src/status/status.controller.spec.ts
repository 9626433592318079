import { StatusService } from '@app/issuance';
import {
  controllerSetup,
  ControllerSetup,
  detailPaths,
  expectEnvelope,
  ROUTE_SPEC_API_KEY,
} from '@app/testing';
import request from 'supertest';
import { configureApp } from '../configure-app';
import { API_GLOBAL_PROVIDERS } from '../global-providers';
import { StatusController } from './status.controller';

const verdict = { trackId: 'abc-123', estado: 'Aceptado', final: true, accepted: true, mensajes: [] };

describe('StatusController (route spec: real pipe, guards and filter; fake service)', () => {
  const status = { query: jest.fn() };
  let setup: ControllerSetup;

  beforeAll(async () => {
    setup = await controllerSetup({
      controllers: [StatusController],
      providers: [{ provide: StatusService, useValue: status }],
      globalProviders: API_GLOBAL_PROVIDERS,
      configure: configureApp,
    });
  });
  afterAll(() => setup.close());
  beforeEach(() => status.query.mockReset().mockResolvedValue(verdict));

  const get = (path: string) => request(setup.app.getHttpServer()).get(path);

  it('401 INVALID_API_KEY without a key and 401 SESSION_EVICTED without a bearer', async () => {
    expectEnvelope(
      (await get('/api/v1/status/abc-123').expect(401)).body,
      401,
      'INVALID_API_KEY',
      '/api/v1/status/abc-123',
    );
    const res = await get('/api/v1/status/abc-123').set('X-Api-Key', ROUTE_SPEC_API_KEY).expect(401);
    expectEnvelope(res.body, 401, 'SESSION_EVICTED', '/api/v1/status/abc-123');
    expect(status.query).not.toHaveBeenCalled();
  });

  it.each([
    ['a bad trackId', '/api/v1/status/bad_id!', '/api/v1/status/bad_id!', 'trackId'],
    [
      'a bad environment',
      '/api/v1/status/abc-123?environment=STAGING',
      '/api/v1/status/abc-123',
      'environment',
    ],
  ])('400 VALIDATION_FAILED for %s', async (_name, url, path, field) => {
    const { token } = await setup.openSession();
    const res = await get(url)
      .set('X-Api-Key', ROUTE_SPEC_API_KEY)
      .auth(token, { type: 'bearer' })
      .expect(400);
    expectEnvelope(res.body, 400, 'VALIDATION_FAILED', path);
    expect(detailPaths(res.body)).toEqual([field]);
    expect(status.query).not.toHaveBeenCalled();
  });

  it('queries with the trackId and environment from the URL and answers the verdict', async () => {
    const { token } = await setup.openSession();
    const res = await get('/api/v1/status/abc-123?environment=TEST')
      .set('X-Api-Key', ROUTE_SPEC_API_KEY)
      .auth(token, { type: 'bearer' })
      .expect(200);
    expect(res.body).toMatchObject({ trackId: 'abc-123', estado: 'Aceptado', mensajes: [] });
    const args = status.query.mock.calls[0] as unknown[];
    expect(args.slice(-2)).toEqual(['abc-123', 'TEST']);
  });
});
