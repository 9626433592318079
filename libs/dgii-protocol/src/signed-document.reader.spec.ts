import { readDocument } from './signed-document.reader';
import { makeAcecfXml, makeEcfXml, makeRfceXml } from './testing/dgii-documents.fixture';

function facts(xml: string) {
  const read = readDocument(xml);
  if (!('facts' in read)) throw new Error(read.problem);
  return read.facts;
}

describe('readDocument', () => {
  it('reads the facts of an e-CF, an RFCE and an ACECF', () => {
    expect(facts(makeEcfXml({ encf: 'E310000000007' }))).toMatchObject({
      root: 'ECF',
      tipoeCF: '31',
      encf: 'E310000000007',
      rncEmisor: '131880738',
      montoTotal: 118,
      montoComponentes: 118,
      itemCount: 1,
    });
    expect(facts(makeRfceXml())).toMatchObject({
      root: 'RFCE',
      tipoeCF: '32',
      montoTotal: 40120,
      itemCount: 0,
    });
    expect(facts(makeAcecfXml({ estado: '2' }))).toMatchObject({
      root: 'ACECF',
      encf: 'E310000000001',
      estado: '2',
    });
  });

  it('refuses DOCTYPE and XML that is not well-formed', () => {
    expect(readDocument('<!DOCTYPE x><ECF/>')).toEqual({ problem: 'El XML no puede contener DOCTYPE.' });
    expect(readDocument('<ECF><A></ECF>')).toMatchObject({
      problem: expect.stringMatching(/^El XML no está bien formado/),
    });
  });

  it('keeps entities unexpanded', () => {
    expect(facts(makeEcfXml({ rncEmisor: '&amp;131' })).rncEmisor).toBe('&amp;131');
  });
});
