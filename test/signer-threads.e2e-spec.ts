import { signerThreadsOfProcess } from '../libs/signing/src/xmldsig/signer-threads';
import { createTestApp } from './support/test-app';

describe('signer threads of the API (e2e)', () => {
  it('starts SIGNING_THREADS threads with the app and ends them when it closes', async () => {
    const threads = signerThreadsOfProcess();
    await threads.close();
    expect(threads.running).toEqual([]);
    const t = await createTestApp({ env: { SIGNING_THREADS: '2' } });
    try {
      expect(threads.running).toEqual([0, 0]);
    } finally {
      await t.close();
    }
    expect(threads.running).toEqual([]);
  });
});
