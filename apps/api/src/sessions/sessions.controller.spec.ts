import { createHash } from 'node:crypto';
import { SessionsService } from '@app/sessions';
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
import { SessionsController } from './sessions.controller';

const ROUTE = '/api/v1/sessions';
const ACCOUNT = createHash('sha256').update(ROUTE_SPEC_API_KEY).digest('base64url');

describe('SessionsController (route spec: real pipe, guards and filter; fake service)', () => {
  const sessions = { open: jest.fn(), view: jest.fn(), close: jest.fn() };
  let setup: ControllerSetup;

  beforeAll(async () => {
    setup = await controllerSetup({
      controllers: [SessionsController],
      providers: [{ provide: SessionsService, useValue: sessions }],
      globalProviders: API_GLOBAL_PROVIDERS,
      configure: configureApp,
    });
  });
  afterAll(() => setup.close());
  beforeEach(() => {
    sessions.open
      .mockReset()
      .mockResolvedValue({ token: 'opened-token', expiresAt: '2026-01-01T00:15:00-04:00' });
    sessions.view.mockReset().mockReturnValue({ signerCedula: '40209547971' });
    sessions.close.mockReset();
  });

  const http = () => request(setup.app.getHttpServer());

  it('opening needs the API key (401 INVALID_API_KEY) but no bearer', async () => {
    const res = await http().post(ROUTE).send({ certificate: 'MIIB', password: 'x' }).expect(401);
    expectEnvelope(res.body, 401, 'INVALID_API_KEY', ROUTE);
    expect(sessions.open).not.toHaveBeenCalled();
  });

  it('400 VALIDATION_FAILED for a body without certificate and password, and for unknown fields', async () => {
    const res = await http()
      .post(ROUTE)
      .set('X-Api-Key', ROUTE_SPEC_API_KEY)
      .send({ pfx: 'MIIB' })
      .expect(400);
    expectEnvelope(res.body, 400, 'VALIDATION_FAILED', ROUTE);
    expect(new Set(detailPaths(res.body))).toEqual(new Set(['certificate', 'password', 'pfx']));
    expect(sessions.open).not.toHaveBeenCalled();
  });

  it('opens with the account id, the body and a client-gone signal, and answers 201', async () => {
    const res = await http()
      .post(ROUTE)
      .set('X-Api-Key', ROUTE_SPEC_API_KEY)
      .send({ certificate: 'MIIB', password: 'Clave' })
      .expect(201);
    expect(res.body).toEqual({ token: 'opened-token', expiresAt: '2026-01-01T00:15:00-04:00' });
    expect(sessions.open).toHaveBeenCalledWith(ACCOUNT, 'MIIB', 'Clave', expect.any(AbortSignal));
  });

  it('GET current: 401 SESSION_EVICTED without a bearer, the view of the session with one', async () => {
    const denied = await http().get(`${ROUTE}/current`).set('X-Api-Key', ROUTE_SPEC_API_KEY).expect(401);
    expectEnvelope(denied.body, 401, 'SESSION_EVICTED', `${ROUTE}/current`);
    const { token, session } = await setup.openSession();
    const res = await http()
      .get(`${ROUTE}/current`)
      .set('X-Api-Key', ROUTE_SPEC_API_KEY)
      .auth(token, { type: 'bearer' })
      .expect(200);
    expect(res.body).toEqual({ signerCedula: '40209547971' });
    expect(sessions.view).toHaveBeenCalledWith(session);
  });

  it('DELETE current: 204 with or without a bearer, handing the service the raw token', async () => {
    await http()
      .delete(`${ROUTE}/current`)
      .set('X-Api-Key', ROUTE_SPEC_API_KEY)
      .auth('A'.repeat(43), { type: 'bearer' })
      .expect(204);
    expect(sessions.close).toHaveBeenLastCalledWith(ACCOUNT, 'A'.repeat(43));
    await http().delete(`${ROUTE}/current`).set('X-Api-Key', ROUTE_SPEC_API_KEY).expect(204);
    expect(sessions.close).toHaveBeenLastCalledWith(ACCOUNT, undefined);
  });
});
