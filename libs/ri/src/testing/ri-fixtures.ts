import { signCanonicalXmlAsync } from '@app/signing';
import { buildDocument, type EcfType } from '@app/xml-builder';
import { FIXTURE_SIGNED_AT, makeEcf, testIdentity, type EcfFixtureOverrides } from '@app/testing';

/** One document per slot of certification Paso 5 (PROTOCOL §10): each type, 32 on both sides of RD$250,000. */
export const RI_SAMPLE_FIXTURES: readonly { name: string; type: EcfType; overrides: EcfFixtureOverrides }[] =
  [
    { name: '31', type: '31', overrides: { scenario: 'mixed-rates' } },
    { name: '32-consumo-menor-250k', type: '32', overrides: { scenario: 'anonymous' } },
    { name: '32-mayor-250k', type: '32', overrides: { scenario: 'large-consumo' } },
    { name: '33', type: '33', overrides: { scenario: 'debit-note' } },
    { name: '34', type: '34', overrides: { scenario: 'credit-note' } },
    { name: '41', type: '41', overrides: { scenario: 'isr-withholding' } },
    { name: '43', type: '43', overrides: { scenario: 'basic' } },
    { name: '44', type: '44', overrides: { scenario: 'basic' } },
    { name: '45', type: '45', overrides: { scenario: 'additional-taxes' } },
    { name: '46', type: '46', overrides: { scenario: 'foreign-currency' } },
    { name: '47', type: '47', overrides: { scenario: 'isr-withholding' } },
  ];

/** A signed e-CF from @app/testing's makeEcf, signed with the test identity (no XSD check). */
export async function signedEcf(type: EcfType, overrides: EcfFixtureOverrides = {}): Promise<string> {
  const xml = buildDocument(type, makeEcf(type, overrides), { fechaHoraFirma: FIXTURE_SIGNED_AT });
  return (await signCanonicalXmlAsync(xml, await testIdentity())).xml;
}
