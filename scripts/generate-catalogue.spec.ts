import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { itWithOfficialFiles, officialDir } from '@app/testing';
import { sharedDir } from '../test/support/shared-dir';
import { parseXsdCatalogue } from '../libs/xml-builder/src/catalogue/xsd-catalogue.parser';
import { catalogueSourceDir, renderCatalogueModule } from './generate-catalogue';

describe('npm run catalogue', () => {
  it('reads the folder given, else DGII_XSD_DIR, else ../shared/dgii/xsd', () => {
    expect(catalogueSourceDir(['/x/xsd'], '/configured')).toBe('/x/xsd');
    expect(catalogueSourceDir([], '/configured')).toBe('/configured');
    expect(catalogueSourceDir([], undefined)).toBe(join(sharedDir(), 'dgii/xsd'));
  });

  // Prettier cannot load inside Jest's vm (dynamic import), so the check runs the script itself.
  itWithOfficialFiles(
    'writes exactly the committed catalogue from the shared XSDs (run `npm run catalogue` when this fails)',
    () => {
      const run = spawnSync(
        process.execPath,
        [
          '-r',
          'ts-node/register/transpile-only',
          '-r',
          'tsconfig-paths/register',
          join(__dirname, 'generate-catalogue.ts'),
          '--check',
          officialDir('xsd'),
        ],
        { cwd: join(__dirname, '..'), encoding: 'utf8' },
      );
      expect([run.status, run.stderr]).toEqual([0, '']);
      expect(run.stdout).toContain('is current');
    },
  );

  it('records every version of a kind and points DOCUMENTS at the newest', () => {
    const xsd = (leaf: string): string =>
      `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="Doc"><xs:complexType><xs:sequence>${leaf}</xs:sequence></xs:complexType></xs:element></xs:schema>`;
    const source = renderCatalogueModule(
      parseXsdCatalogue([
        { fileName: 'X-v1.0.xsd', text: xsd('<xs:element name="A" type="xs:string"/>') },
        {
          fileName: 'X-v1.1.xsd',
          text: xsd('<xs:element name="A" type="xs:string"/><xs:element name="B" type="xs:int"/>'),
        },
      ]),
    );
    expect(source).toMatch(/X: \{\n"1\.0": \{\nkind: "X", schemaFile: "X-v1\.0\.xsd", schemaVersion: "1\.0"/);
    expect(source).toContain('"1.1": {\nkind: "X", schemaFile: "X-v1.1.xsd", schemaVersion: "1.1"');
    expect(source).toContain('X: DOCUMENT_VERSIONS["X"]["1.1"],');
    expect(source).toContain(
      'export const CURRENT_VERSION: Readonly<Record<DocumentKind, string>> = { X: "1.1" };',
    );
  });
});
