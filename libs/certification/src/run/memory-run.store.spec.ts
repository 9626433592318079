import { ManualClock } from '@app/common';
import { describeRunStoreContract } from '../testing/run-store.contract';
import { MemoryCertificationRunStore } from './memory-run.store';

describeRunStoreContract('memory', async () => {
  const clock = new ManualClock();
  const retentionMs = 60_000;
  return { store: new MemoryCertificationRunStore(clock, retentionMs), clock, retentionMs };
});
