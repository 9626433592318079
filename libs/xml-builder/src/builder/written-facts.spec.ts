import { ECF_TYPES } from '../catalogue';
import { FIXTURE_SIGNED_AT, makeEcf } from '@app/testing';
import { buildDocumentWithFacts } from './build-document';
import { FACT_ELEMENTS } from './written-facts';

/** The test's own reading of a canonical document: the first element of that name, unescaped. */
function firstText(xml: string, name: string): string | undefined {
  const m = new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml);
  return m?.[1].replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#xD;/g, '\r').replace(/&amp;/g, '&');
}

describe('the facts the writer records (STYLE §27: nothing re-parses our output)', () => {
  it.each(ECF_TYPES)('are the values written into an e-CF %s, first occurrence each', (type) => {
    const { xml, facts } = buildDocumentWithFacts(type, makeEcf(type), { fechaHoraFirma: FIXTURE_SIGNED_AT });
    for (const name of FACT_ELEMENTS) expect([name, facts[name]]).toEqual([name, firstText(xml, name)]);
    expect(facts.TipoeCF).toBe(type);
    expect(facts.FechaHoraFirma).toBe(FIXTURE_SIGNED_AT);
  });

  it('unescape the C14N text of names with markup characters', () => {
    const json = makeEcf('31', { scenario: 'rich-text' });
    const { xml, facts } = buildDocumentWithFacts('31', json, { fechaHoraFirma: FIXTURE_SIGNED_AT });
    const comprador = (json.Encabezado as { Comprador: { RazonSocialComprador: string } }).Comprador;
    expect(xml).toContain('&amp;');
    expect(facts.RazonSocialComprador).toBe(comprador.RazonSocialComprador);
    expect(facts.RazonSocialComprador).toMatch(/& <Compañía>/);
  });

  it('leave out what the document does not carry', () => {
    const { facts } = buildDocumentWithFacts('32', makeEcf('32', { scenario: 'anonymous' }), {
      fechaHoraFirma: FIXTURE_SIGNED_AT,
    });
    expect(facts).not.toHaveProperty('RNCComprador');
    expect(facts.eNCF).toMatch(/^E32/);
  });
});
