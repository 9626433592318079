// Relative, not @app/testing: globalSetup (no moduleNameMapper) imports this file too, so only
// files of libs/testing that import no other library.
// eslint-disable-next-line no-restricted-imports
import { officialFilePaths } from '../../libs/testing/src/official-files/official-files';

// eslint-disable-next-line no-restricted-imports
export { fixturesDir, p12Dir } from '../../libs/testing/src/fixtures/fixture-dirs';

/**
 * The shared folder beside the repository (DGII XSDs, samples). A path only: whether it exists is
 * for `describeWithOfficialFiles` (@app/testing) to decide, so importing this never throws.
 */
export function sharedDir(): string {
  return officialFilePaths().sharedDir;
}
