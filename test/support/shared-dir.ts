import { resolve } from 'node:path';
// Relative, not @app/testing: globalSetup (no moduleNameMapper) imports this file too.
// eslint-disable-next-line no-restricted-imports
import { officialFilePaths } from '../../libs/testing/src';

/**
 * The shared folder beside the repository (DGII XSDs, samples). A path only: whether it exists is
 * for `describeWithOfficialFiles` (@app/testing) to decide, so importing this never throws.
 */
export function sharedDir(): string {
  return officialFilePaths().sharedDir;
}

/** Where test-time fixtures (generated .p12 files) live; git-ignored. */
export const fixturesDir = resolve(__dirname, '../../.tmp/fixtures');
export const p12Dir = resolve(fixturesDir, 'p12');
