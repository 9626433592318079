import request from 'supertest';
import { openSession } from './support/sessions';
import { API_KEY, createTestApp, TestApp } from './support/test-app';

describe('health and metrics (e2e)', () => {
  let t: TestApp;
  const http = () => request(t.app.getHttpServer());

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('GET /health needs no key', async () => {
    const res = await http().get('/health').expect(200);
    // DGII's service status rides along as information (issue 11 §1); the sandbox serves it.
    expect(res.body).toMatchObject({ status: 'ok', dgii: { configured: true } });
  });

  it('GET /metrics counts requests by route pattern and status, times them, and counts open sessions', async () => {
    await openSession(t.app);
    await openSession(t.app);
    await http().get('/api/v1/sessions/current').set('X-Api-Key', API_KEY).expect(401);
    const res = await http().get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toMatch(
      /fiscaliacore_http_requests_total\{method="POST",route="\/api\/v1\/sessions",status="201"\} 2/,
    );
    expect(res.text).toMatch(
      /fiscaliacore_http_requests_total\{method="GET",route="\/api\/v1\/sessions\/current",status="401"\} 1/,
    );
    expect(res.text).toMatch(/fiscaliacore_http_request_duration_seconds_bucket\{le="0.5",method="POST"/);
    expect(res.text).toMatch(/^fiscaliacore_open_sessions 2$/m);
  });
});
