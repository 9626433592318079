import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** The read-only `shared/` folder beside the repository (DGII XSDs, samples, tools). */
export function sharedDir(): string {
  const dir = process.env.FISCALIACORE_SHARED_DIR ?? resolve(__dirname, '../../../shared');
  if (!existsSync(dir)) throw new Error(`shared folder not found at ${dir}; set FISCALIACORE_SHARED_DIR`);
  return dir;
}

/** Where test-time fixtures (generated .p12 files) live; git-ignored. */
export const fixturesDir = resolve(__dirname, '../../.tmp/fixtures');
export const p12Dir = resolve(fixturesDir, 'p12');
