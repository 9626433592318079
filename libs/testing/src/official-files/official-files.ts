import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * DGII's official files (the XSDs, the signed samples, the certification workbooks) are never copied
 * into the repository. Tests that need them find them here and are skipped when they are absent,
 * except in CI (`CI=true`), where a missing folder fails the run (see `assertOfficialFilesInCi`).
 */
export type OfficialFileKind = 'xsd' | 'samples' | 'certification';

/** Marks the title of every suite skipped for want of official files; the summary reporter counts it. */
export const NEEDS_OFFICIAL_FILES = '[needs DGII official files]';

export const OFFICIAL_FILES_HINT =
  'set FISCALIACORE_SHARED_DIR (the folder holding dgii/xsd, dgii/samples) or DGII_XSD_DIR (the XSDs alone)';

const REPO_ROOT = resolve(__dirname, '../../../..');

export interface OfficialFiles {
  /** The shared folder: $FISCALIACORE_SHARED_DIR, else `../shared` beside the repository. */
  sharedDir: string;
  /** $DGII_XSD_DIR, else `<sharedDir>/dgii/xsd`. */
  xsdDir: string;
  samplesDir: string;
  certificationDir: string;
}

export function officialFilePaths(env: NodeJS.ProcessEnv = process.env): OfficialFiles {
  const sharedDir = env.FISCALIACORE_SHARED_DIR?.trim() || resolve(REPO_ROOT, '../shared');
  return {
    sharedDir,
    xsdDir: env.DGII_XSD_DIR?.trim() || join(sharedDir, 'dgii/xsd'),
    samplesDir: join(sharedDir, 'dgii/samples'),
    certificationDir: join(sharedDir, 'dgii/certification'),
  };
}

function dirOf(kind: OfficialFileKind, paths: OfficialFiles): string {
  if (kind === 'xsd') return paths.xsdDir;
  if (kind === 'samples') return paths.samplesDir;
  return paths.certificationDir;
}

/** The kinds asked for that are not on disk, each with the folder that was looked at. */
export function missingOfficialFiles(
  kinds: readonly OfficialFileKind[] = ['xsd', 'samples', 'certification'],
  env: NodeJS.ProcessEnv = process.env,
): string[] {
  const paths = officialFilePaths(env);
  return kinds
    .filter((kind) => !existsSync(dirOf(kind, paths)))
    .map((kind) => `${kind}: ${dirOf(kind, paths)}`);
}

export function hasOfficialFiles(...kinds: OfficialFileKind[]): boolean {
  return missingOfficialFiles(kinds.length > 0 ? kinds : ['xsd']).length === 0;
}

/**
 * The folder of one kind. Never throws at import time: call it inside a suite gated by
 * `describeWithOfficialFiles` (before the gate it is only a path).
 */
export function officialDir(kind: OfficialFileKind): string {
  return dirOf(kind, officialFilePaths());
}

type SuiteBody = () => void;

/**
 * `describe` when the official files of the given kinds are present, else `describe.skip` with a
 * title the end-of-run summary recognises.
 */
export function describeWithOfficialFiles(
  name: string,
  body: SuiteBody,
  kinds: readonly OfficialFileKind[] = ['xsd'],
): void {
  if (missingOfficialFiles(kinds).length === 0) describe(name, body);
  else describe.skip(`${name} ${NEEDS_OFFICIAL_FILES}`, body);
}

/** `it` when the official files are present, else `it.skip`, marked like the suites. */
export function itWithOfficialFiles(
  name: string,
  test: () => unknown,
  kinds: readonly OfficialFileKind[] = ['xsd'],
): void {
  if (missingOfficialFiles(kinds).length === 0) it(name, test as jest.ProvidesCallback);
  else it.skip(`${name} ${NEEDS_OFFICIAL_FILES}`, test as jest.ProvidesCallback);
}

/**
 * In CI every oracle must run: a missing folder fails the run (jest globalSetup). Outside CI the
 * missing folders are only reported, once, at the end of the run.
 */
export function assertOfficialFilesInCi(env: NodeJS.ProcessEnv = process.env): void {
  if (env.CI !== 'true') return;
  const missing = missingOfficialFiles(['xsd', 'samples'], env);
  if (missing.length > 0) {
    throw new Error(
      `CI=true but DGII's official files are missing (${missing.join('; ')}): ${OFFICIAL_FILES_HINT}`,
    );
  }
}

/**
 * `DGII_XSD_DIR` for an app under test when the XSDs are there, else nothing: suites whose
 * assertions do not depend on the schemas run either way, with the XSD check when it can be on.
 */
export function xsdCheckEnv(): { DGII_XSD_DIR?: string } {
  return hasOfficialFiles('xsd') ? { DGII_XSD_DIR: officialDir('xsd') } : {};
}

/**
 * A `describe` for a spec file that needs the official files throughout. Bind it to the name
 * `describe` at the top of the file (`const describe = describeIfOfficialFiles('xsd')`), so the
 * suites keep jest's shape and Prettier's layout; nested suites are gated the same way.
 */
export function describeIfOfficialFiles(
  ...kinds: OfficialFileKind[]
): (name: string, body: SuiteBody) => void {
  return (name, body) => describeWithOfficialFiles(name, body, kinds);
}
