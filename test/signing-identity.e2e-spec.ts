import request from 'supertest';
import { DgiiGateway } from '@app/dgii-gateway';
import { hashToken } from '@app/sessions';
import { makeEcf } from '@app/testing';
import { openSession } from './support/sessions';
import { API_KEY, createTestApp, TestApp } from './support/test-app';

type Stats = Record<'semilla' | 'validarsemilla' | 'recepcion', number>;

/**
 * The gateway knows no sessions (issue 8 item 2): the app tells it to forget a session's DGII
 * tokens when the session ends, and issues with the session's own identity and cache key.
 */
describe('a session drives the DGII gateway through its identity and cache key (e2e)', () => {
  let t: TestApp;
  let forget: jest.SpyInstance;
  const http = () => request(t.app.getHttpServer());
  const stats = async (): Promise<Stats> =>
    (await http().get('/dgii-sandbox/_admin/stats').set('X-Api-Key', API_KEY).expect(200)).body;
  const issue = (token: string, sequence: number) =>
    http()
      .post('/api/v1/ecf/issue-stateless')
      .set('X-Api-Key', API_KEY)
      .set('Authorization', `Bearer ${token}`)
      .send({ ecf: makeEcf('31', { sequence }) });

  beforeAll(async () => {
    t = await createTestApp({ env: { DGII_RESULT_WAIT_MS: '3000' } });
    forget = jest.spyOn(t.app.get(DgiiGateway, { strict: false }), 'forget');
  });
  afterAll(() => t.close());

  it('authenticates once per session, and forgets its tokens when the session is closed', async () => {
    const token = await openSession(t.app);
    const before = await stats();
    await issue(token, 701).expect(200);
    await issue(token, 702).expect(200);
    const after = await stats();
    expect(after.semilla - before.semilla).toBe(1);
    expect(after.recepcion - before.recepcion).toBe(2);

    expect(forget).not.toHaveBeenCalled();
    await http()
      .delete('/api/v1/sessions/current')
      .set('X-Api-Key', API_KEY)
      .set('Authorization', `Bearer ${token}`)
      .expect(204);
    expect(forget).toHaveBeenCalledTimes(1);
    // The key is the session's own (it names the token hash), opaque to the gateway.
    expect(forget.mock.calls[0][0]).toContain(hashToken(token));
  });

  it('gives another session of the same API key its own DGII token', async () => {
    const first = await openSession(t.app);
    const second = await openSession(t.app);
    await issue(first, 711).expect(200);
    const before = await stats();
    await issue(second, 712).expect(200);
    expect((await stats()).semilla - before.semilla).toBe(1);
  });
});
