import { guideAcecfExample, p12Base64, passwordFor } from '@app/testing';
import { FiscaliacoreClient } from './support/guide-client';
import { API_KEY, createTestApp, TestApp } from './support/test-app';

const APPROVAL = { ...guideAcecfExample(), estado: 1 as const, montoTotalOriginal: 1180, dryRun: true };

describe("the guide's TypeScript client across a service restart (e2e)", () => {
  const realSetTimeout = global.setTimeout;
  const apps: TestApp[] = [];

  beforeAll(() => {
    // The guide's client arms a 14-minute refresh timer; keep it from holding Jest open.
    global.setTimeout = ((fn: () => void, ms?: number) =>
      realSetTimeout(fn, ms).unref()) as typeof setTimeout;
  });
  afterAll(async () => {
    global.setTimeout = realSetTimeout;
    await Promise.all(apps.map((a) => a.close().catch(() => undefined)));
  });

  it('reopens its session after a restart (401 SESSION_EVICTED → reopen → retry once) and carries on', async () => {
    const first = await createTestApp();
    apps.push(first);
    const port = (first.app.getHttpServer().address() as { port: number }).port;
    const opened: string[] = [];
    const client = new FiscaliacoreClient(
      `http://127.0.0.1:${port}`,
      API_KEY,
      async () => {
        opened.push('open');
        return p12Base64('rsa2048-modern');
      },
      async () => passwordFor('rsa2048-modern'),
    );

    const before = await client.issueAcecf(APPROVAL);
    expect(before.success).toBe(true);
    expect(opened).toHaveLength(1);

    // Restart: a new process on the same port knows none of the old sessions (guide §2).
    await first.close();
    // Let the client's pooled keep-alive socket see the old process go away, as it would in a real restart.
    await new Promise((resolve) => realSetTimeout(resolve, 200));
    const second = await createTestApp({ listenPort: port });
    apps.push(second);

    const after = await client.issueAcecf(APPROVAL);
    expect(after.success).toBe(true);
    expect(after.signedXml).toContain('<ACECF>');
    expect(opened).toHaveLength(2);

    // And the reopened session is reused, not reopened per call.
    await client.issueAcecf(APPROVAL);
    expect(opened).toHaveLength(2);
  });
});
