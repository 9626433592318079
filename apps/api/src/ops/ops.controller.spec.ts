import { controllerSetup, ControllerSetup } from '@app/testing';
import request from 'supertest';
import { configureApp } from '../configure-app';
import { API_GLOBAL_PROVIDERS } from '../global-providers';
import { OpsController } from './ops.controller';

describe('OpsController (route spec: real guards; public routes)', () => {
  let setup: ControllerSetup;

  beforeAll(async () => {
    setup = await controllerSetup({
      controllers: [OpsController],
      globalProviders: API_GLOBAL_PROVIDERS,
      configure: configureApp,
    });
  });
  afterAll(() => setup.close());

  it('answers /health without an API key or a bearer', async () => {
    const res = await request(setup.app.getHttpServer()).get('/health').expect(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('answers /health/live, and /health/ready with the memory store when no shared store is wired', async () => {
    await request(setup.app.getHttpServer()).get('/health/live').expect(200, { status: 'ok' });
    await request(setup.app.getHttpServer())
      .get('/health/ready')
      .expect(200, { status: 'ok', store: 'memory' });
  });

  it('serves /metrics as Prometheus text, uncached, without credentials', async () => {
    const res = await request(setup.app.getHttpServer()).get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain;.*version=0\.0\.4/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.text).toMatch(/^# HELP /m);
  });
});
