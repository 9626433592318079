import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeIfOfficialFiles, officialDir, xmllintValidate } from '@app/testing';
import { DOCUMENT_KINDS, DocumentKind } from '../catalogue';
import { XsdValidator, xsdPath } from './xsd-validator';

const xsdDir = officialDir('xsd');
const samplesDir = officialDir('samples');
const sample = (name: string): string => readFileSync(join(samplesDir, name), 'utf8');
const DGII_ECF31 = 'ecf31-signed-by-dgii-emisorreceptor-131880738E310000000002.xml';

// Every suite here needs DGII's official files: without them it is skipped and counted in the summary.
const describe = describeIfOfficialFiles('xsd', 'samples');

/** Expected XSD outcome of every sample, from samples/SOURCES.md "Check results". */
const SAMPLES: [file: string, kind: DocumentKind, valid: boolean][] = [
  ['semilla-response-dgii.xml', 'Semilla', false], // the XSD describes the signed seed
  ['semilla-signed-victors.xml', 'Semilla', true],
  ['semilla-signed-victors-compacted.xml', 'Semilla', true],
  [DGII_ECF31, '31', true],
  ['ecf31-signed-victors-130862346E310005000201.xml', '31', false], // TotalPaginas = 1
  ['ecf31-signed-victors-130359334E310000008928.xml', '31', false], // TotalPaginas = 1
  ['ecf32-signed-bluefire-133470616E320000000018.xml', '32', true],
  ['rfce-unsigned-victors-placeholder.xml', 'RFCE', false],
  ['rfce-unsigned-victors-cf32.xml', 'RFCE', false],
  ['rfce-SYNTHETIC-from-ecf32-E320000000018-selfsigned.xml', 'RFCE', true],
  ['acecf-signed-by-dgii-emisorreceptor-E450000000001.xml', 'ACECF', false], // MontoTotal 35400
  ['arecf-signed-victors-customer_receipt.xml', 'ARECF', true],
  ['arecf-signed-by-dgii-emisorreceptor-compacted.xml', 'ARECF', true],
  ['anecf-SYNTHETIC-dgii-anexoI-example-selfsigned.xml', 'ANECF', true],
];

describe('XsdValidator', () => {
  let validator: XsdValidator;
  beforeAll(async () => {
    validator = await XsdValidator.load(xsdDir);
  });
  afterAll(() => validator.dispose());

  it('accepts the DGII-signed e-CF 31', () => {
    expect(validator.validate('31', sample(DGII_ECF31))).toEqual({ valid: true });
  });

  it("rejects a value outside an enumeration with libxml2's message naming the element", () => {
    const xml = sample(DGII_ECF31).replace(
      '<TipoIngresos>01</TipoIngresos>',
      '<TipoIngresos>09</TipoIngresos>',
    );
    const result = validator.validate('31', xml);
    expect(result).toEqual({
      valid: false,
      errors: [expect.stringMatching(/^Element 'TipoIngresos': \[facet 'enumeration'\] The value '09'/)],
    });
  });

  it('reports every error', () => {
    const xml = sample(DGII_ECF31)
      .replace('<TipoIngresos>01</TipoIngresos>', '<TipoIngresos>09</TipoIngresos>')
      .replace(/<RNCComprador>\d+<\/RNCComprador>/, '<RNCComprador>10100</RNCComprador>');
    const result = validator.validate('31', xml);
    expect(result.valid).toBe(false);
    if (!result.valid) expect(result.errors.join('\n')).toMatch(/TipoIngresos[\s\S]*RNCComprador/);
  });

  it('rejects an unsigned e-CF: the schema requires the Signature (xsd/SOURCES.md)', () => {
    const unsigned = sample(DGII_ECF31).replace(/<Signature[\s\S]*<\/Signature>/, '');
    expect(validator.validate('31', unsigned).valid).toBe(false);
  });

  it.each(SAMPLES)('%s against %s: valid=%s, as xmllint says', (file, kind, valid) => {
    const xml = sample(file);
    expect(validator.validate(kind, xml).valid).toBe(valid);
    expect(xmllintValidate(xml, xsdPath(xsdDir, kind)).ok).toBe(valid);
  });

  it('compiles every kind, preferring the libxml2-compat copies for 31, RFCE and ACECF', () => {
    expect(DOCUMENT_KINDS).toHaveLength(15);
    const compat = DOCUMENT_KINDS.filter((k) => xsdPath(xsdDir, k).includes('libxml2-compat'));
    expect(compat.sort()).toEqual(['31', 'ACECF', 'RFCE']);
  });

  it('refuses a DOCTYPE, even after a BOM', () => {
    const xxe = '\ufeff<!DOCTYPE ECF [<!ENTITY x SYSTEM "file:///etc/passwd">]><ECF>&x;</ECF>';
    expect(validator.validate('31', xxe)).toEqual({ valid: false, errors: ['DOCTYPE is not allowed'] });
  });

  it('reports malformed XML as a parse error', () => {
    const result = validator.validate('31', '<ECF><Encabezado></ECF>');
    expect(result.valid).toBe(false);
    if (!result.valid) expect(result.errors[0]).toMatch(/mismatch|Premature|Opening and ending tag/i);
  });

  it('refuses 100,000 nested elements (libxml2 depth limit)', () => {
    const deep = `${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}`;
    const result = validator.validate('31', deep);
    expect(result.valid).toBe(false);
    if (!result.valid) expect(result.errors.join(' ')).toMatch(/depth|deep|nest/i);
  });

  it('fails to load from a folder without the XSDs, naming the file', async () => {
    await expect(XsdValidator.load(join(xsdDir, 'structure'))).rejects.toThrow(/e-CF-31-v1\.0\.xsd/);
  });
});
