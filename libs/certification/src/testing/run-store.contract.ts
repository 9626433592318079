import type { ManualClock } from '@app/common';
import type { CertificationRun } from '../run/run.model';
import type { CertificationRunStore } from '../run/run.store';

export interface RunStoreFixture {
  store: CertificationRunStore;
  clock: ManualClock;
  retentionMs: number;
}

export function sampleRun(runId: string, tokenHash = 'hash-a', apiKeyId = 'key-a'): CertificationRun {
  return {
    runId,
    kind: 'ecf',
    mode: 'validate',
    environment: 'CERTIFICATION',
    owner: { apiKeyId, tokenHash },
    status: 'running',
    createdAt: '2026-06-23T17:45:47-04:00',
    finishedAt: null,
    stoppedAt: null,
    dgiiUploads: 0,
    cases: [],
  };
}

/** What every CertificationRunStore adapter must do (memory now; a shared one later). */
export function describeRunStoreContract(name: string, make: () => Promise<RunStoreFixture>): void {
  describe(`CertificationRunStore contract: ${name}`, () => {
    let f: RunStoreFixture;
    beforeEach(async () => {
      f = await make();
    });

    it('keeps a copy: later changes to the caller object are not seen until saved', async () => {
      const run = sampleRun('r1');
      await f.store.save(run);
      run.status = 'passed';
      expect((await f.store.get('r1'))?.status).toBe('running');
      await f.store.save(run);
      expect((await f.store.get('r1'))?.status).toBe('passed');
      expect(await f.store.get('nope')).toBeUndefined();
    });

    it('keeps documents per case, in row order', async () => {
      await f.store.save(sampleRun('r2'));
      const doc = (row: number) => ({
        row,
        tipo: '31',
        encf: `E31000000000${row}`,
        fileName: `x${row}.xml`,
        signedXml: '<ECF/>',
        securityCode: 'abc123',
        signedAt: 't',
      });
      await f.store.saveDocuments('r2', doc(5));
      await f.store.saveDocuments('r2', doc(3));
      expect((await f.store.documentsOf('r2')).map((d) => d.row)).toEqual([3, 5]);
      expect(await f.store.documentsOf('unknown')).toEqual([]);
    });

    it('lives while its session lives, and retentionMs after it ends', async () => {
      await f.store.save(sampleRun('r3', 'hash-b'));
      await f.store.save(sampleRun('r4', 'hash-c'));
      f.clock.advance(10 * f.retentionMs);
      expect(await f.store.get('r3')).toBeDefined();
      expect(await f.store.sessionHasEnded('r3')).toBe(false);
      await f.store.sessionEnded('hash-b', f.clock.now());
      await f.store.sessionEnded('hash-b', f.clock.now()); // at least once: idempotent
      await f.store.sessionEnded('unknown-hash', f.clock.now());
      expect(await f.store.sessionHasEnded('r3')).toBe(true);
      f.clock.advance(f.retentionMs - 1);
      expect(await f.store.get('r3')).toBeDefined();
      f.clock.advance(1);
      expect(await f.store.get('r3')).toBeUndefined();
      expect(await f.store.documentsOf('r3')).toEqual([]);
      expect(await f.store.get('r4')).toBeDefined();
    });
  });
}
