// Relative, not @app/testing: globalSetup (no moduleNameMapper) imports this file too.
// eslint-disable-next-line no-restricted-imports
import { officialFilePaths } from '../../libs/testing/src';

// eslint-disable-next-line no-restricted-imports
export { fixturesDir, p12Dir } from '../../libs/testing/src';

/**
 * The shared folder beside the repository (DGII XSDs, samples). A path only: whether it exists is
 * for `describeWithOfficialFiles` (@app/testing) to decide, so importing this never throws.
 */
export function sharedDir(): string {
  return officialFilePaths().sharedDir;
}
