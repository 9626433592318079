import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeWithOfficialFiles, officialDir } from '@app/testing';
import { buildDocument } from '../builder';
import { arecfFromRequest } from '../receptor';
import { XsdValidator, xsdFileName } from '../xsd';
import { catalogueEntries, catalogueOf, childElements, schemaVersionsOf } from './catalogue';
import {
  CURRENT_VERSION,
  DOCUMENT_KINDS,
  DOCUMENTS,
  DOCUMENT_VERSIONS,
  SIMPLE_TYPES,
} from './ecf-catalogue.generated';
import { parseXsdCatalogue, readXsdSources } from './xsd-catalogue.parser';

describe('catalogue entries keyed by (kind, version)', () => {
  it('finds each entry by kind and version, the current one by default', () => {
    expect(catalogueOf('31')).toBe(DOCUMENTS['31']);
    expect(catalogueOf('31', '1.0')).toMatchObject({ kind: '31', schemaVersion: '1.0' });
    expect(schemaVersionsOf('RFCE')).toEqual(['1.0']);
    expect(() => catalogueOf('31', '9.9')).toThrow(/no 31 schema of version 9\.9/);
    expect(catalogueEntries()).toHaveLength(DOCUMENT_KINDS.length);
  });

  it("takes XSD file names from the catalogue's schemaFile", () => {
    expect(xsdFileName('RFCE')).toBe('RFCE-32-v1.0.xsd');
    expect(xsdFileName('ARECF', '1.0')).toBe(DOCUMENT_VERSIONS.ARECF['1.0'].schemaFile);
    for (const kind of DOCUMENT_KINDS) {
      expect(xsdFileName(kind)).toBe(DOCUMENT_VERSIONS[kind][CURRENT_VERSION[kind]].schemaFile);
    }
  });

  /*
   * DGII has published only v1.0 so far. A synthetic ARECF v1.1 (the real v1.0 with one required
   * element added), written into a temporary folder beside the real schemas, stands for the next one.
   */
  describeWithOfficialFiles('two versions of one kind side by side', () => {
    const added = '<xs:element name="CanalRecepcion" type="xs:string" minOccurs="1" maxOccurs="1"/>';
    let v10Text: string;
    let v11Text: string;
    let dir: string;
    let validator: XsdValidator;
    let parsed: ReturnType<typeof parseXsdCatalogue>;

    beforeAll(async () => {
      // Read here, not in the suite body: that body runs even when the suite is skipped.
      const realSources = readXsdSources(officialDir('xsd'));
      v10Text = (realSources.find((s) => s.fileName === 'ARECF-v1.0.xsd') as { text: string }).text;
      v11Text = v10Text.replace(/(<xs:element name="FechaHoraAcuseRecibo"[^>]*\/>)/, `$1${added}`);
      dir = mkdtempSync(join(tmpdir(), 'xsd-versions-'));
      for (const source of realSources) writeFileSync(join(dir, source.fileName), source.text);
      writeFileSync(join(dir, 'ARECF-v1.1.xsd'), v11Text);
      parsed = parseXsdCatalogue(readXsdSources(dir));
      validator = await XsdValidator.load(dir, Object.values(parsed.versions.ARECF));
    });
    afterAll(() => {
      validator?.dispose();
      rmSync(dir, { recursive: true, force: true });
    });

    const v10Doc = buildDocument(
      'ARECF',
      arecfFromRequest(
        { rncEmisor: '131793916', rncComprador: '40209547971', eNCF: 'E310000000005', estado: 0 },
        '24-04-2026 14:05:09',
      ),
    );
    const v11Doc = v10Doc.replace('</DetalleAcusedeRecibo>', '<CanalRecepcion>API</CanalRecepcion>$&');
    const detail = (version: string): string[] =>
      childElements(childElements(parsed.versions.ARECF[version].root)[0]).map((e) => e.name);

    it('parses both, each under its own version, the newest being current', () => {
      expect(v11Text).not.toBe(v10Text);
      expect(Object.keys(parsed.versions.ARECF)).toEqual(['1.0', '1.1']);
      expect(parsed.versions.ARECF['1.1'].schemaFile).toBe('ARECF-v1.1.xsd');
      expect(parsed.documents.ARECF).toBe(parsed.versions.ARECF['1.1']);
      expect(detail('1.1')).toEqual([...detail('1.0'), 'CanalRecepcion']);
      // Adding v1.1 changes nothing else: every other entry and type is the committed catalogue's.
      const { '1.1': _v11, ...olderArecf } = parsed.versions.ARECF;
      expect({ ...parsed.versions, ARECF: olderArecf }).toEqual(DOCUMENT_VERSIONS);
      expect(parsed.simpleTypes).toMatchObject(SIMPLE_TYPES);
    });

    it('validates each document against its own version', () => {
      expect(validator.validate('ARECF', v10Doc, '1.0')).toEqual({ valid: true });
      expect(validator.validate('ARECF', v11Doc, '1.1')).toEqual({ valid: true });
      const v11AsV10 = validator.validate('ARECF', v11Doc, '1.0');
      expect(v11AsV10.valid).toBe(false);
      if (!v11AsV10.valid) expect(v11AsV10.errors.join('\n')).toMatch(/CanalRecepcion/);
      const v10AsV11 = validator.validate('ARECF', v10Doc, '1.1');
      expect(v10AsV11.valid).toBe(false);
      if (!v10AsV11.valid) expect(v10AsV11.errors.join('\n')).toMatch(/CanalRecepcion/);
    });

    it('refuses a version it did not compile', () => {
      expect(() => validator.validate('ARECF', v10Doc, '2.0')).toThrow(
        /no XSD loaded for document kind ARECF v2\.0/,
      );
    });
  });
});
