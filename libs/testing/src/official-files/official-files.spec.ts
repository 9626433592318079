import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  assertOfficialFilesInCi,
  missingOfficialFiles,
  NEEDS_OFFICIAL_FILES,
  officialFilePaths,
} from './official-files';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const Reporter = require('../jest/official-files-summary.reporter.js') as new (config: {
  rootDir: string;
}) => {
  onRunComplete(contexts: unknown, results: unknown): void;
};

describe('official DGII files', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'fiscaliacore-shared-'));
    mkdirSync(join(dir, 'dgii/xsd'), { recursive: true });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('looks in DGII_XSD_DIR, else $FISCALIACORE_SHARED_DIR/dgii/xsd, else ../shared beside the repository', () => {
    expect(officialFilePaths({ DGII_XSD_DIR: '/x', FISCALIACORE_SHARED_DIR: '/s' })).toMatchObject({
      xsdDir: '/x',
      samplesDir: '/s/dgii/samples',
    });
    expect(officialFilePaths({ FISCALIACORE_SHARED_DIR: '/s' }).xsdDir).toBe('/s/dgii/xsd');
    expect(officialFilePaths({}).sharedDir).toBe(resolve(__dirname, '../../../../../shared'));
  });

  it('names each missing kind with the folder it looked at', () => {
    expect(missingOfficialFiles(['xsd', 'samples'], { FISCALIACORE_SHARED_DIR: dir })).toEqual([
      `samples: ${join(dir, 'dgii/samples')}`,
    ]);
  });

  it('fails the run in CI when a folder is missing, and only in CI', () => {
    const env = { FISCALIACORE_SHARED_DIR: dir };
    expect(() => assertOfficialFilesInCi({ ...env, CI: 'true' })).toThrow(
      /CI=true but DGII's official files are missing \(samples: .*\): set FISCALIACORE_SHARED_DIR/,
    );
    expect(() => assertOfficialFilesInCi(env)).not.toThrow();
    mkdirSync(join(dir, 'dgii/samples'));
    expect(() => assertOfficialFilesInCi({ ...env, CI: 'true' })).not.toThrow();
  });

  it('the reporter prints one line naming the skipped suites and how to enable them', () => {
    const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const pending = (ancestor: string) => ({ status: 'pending', title: 't', ancestorTitles: [ancestor] });
      new Reporter({ rootDir: '/repo' }).onRunComplete(new Set(), {
        testResults: [
          {
            testFilePath: '/repo/a.spec.ts',
            testResults: [pending(`A ${NEEDS_OFFICIAL_FILES}`), pending(`A ${NEEDS_OFFICIAL_FILES}`)],
          },
          { testFilePath: '/repo/b.spec.ts', testResults: [pending('B, skipped for another reason')] },
          {
            testFilePath: '/repo/c.spec.ts',
            testResults: [{ status: 'pending', title: `c ${NEEDS_OFFICIAL_FILES}`, ancestorTitles: [] }],
          },
        ],
      });
      expect(write).toHaveBeenCalledTimes(1);
      expect(String(write.mock.calls[0][0])).toMatch(
        /^\nskipped 3 tests in 2 suites that need DGII's official files \(.*\): a\.spec\.ts, c\.spec\.ts — set FISCALIACORE_SHARED_DIR .* or DGII_XSD_DIR .*\n$/,
      );
      write.mockClear();
      new Reporter({ rootDir: '/repo' }).onRunComplete(new Set(), { testResults: [] });
      expect(write).not.toHaveBeenCalled();
    } finally {
      write.mockRestore();
    }
  });
});
