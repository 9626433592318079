// jest runs globalSetup without moduleNameMapper, so the @app/testing alias is not available here:
// the files are imported one by one (the barrel also holds helpers that import other libraries).
// eslint-disable-next-line no-restricted-imports
import {
  assertOfficialFilesInCi,
  missingOfficialFiles,
} from '../../libs/testing/src/official-files/official-files';
// eslint-disable-next-line no-restricted-imports
import { ensureTestP12 } from '../../libs/testing/src/p12/generate-test-p12';
import { p12Dir } from './shared-dir';

/**
 * Runs once per jest run, in the main process: makes the .p12 fixtures with the project's own
 * generator (Node + openssl; remade when the generator version changes) and checks for DGII's
 * official files. In CI a missing folder fails the run; elsewhere the suites that need it are
 * skipped and the summary reporter names them.
 */
export default async function globalSetup(): Promise<void> {
  assertOfficialFilesInCi();
  const missing = missingOfficialFiles(['xsd', 'samples']);
  // Read by the summary reporter (same process) to say which folder was looked for.
  if (missing.length > 0)
    process.env.FISCALIACORE_OFFICIAL_FILES_MISSING = `not found: ${missing.join('; ')}`;
  await ensureTestP12(p12Dir);
}
