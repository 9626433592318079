import { ecfFindings, readDocument } from './document-rules';
import {
  makeAcecfXml,
  makeEcfXml,
  makeRfceXml,
} from '../../dgii-protocol/src/testing/dgii-documents.fixture';

function facts(xml: string) {
  const read = readDocument(xml);
  if (!('facts' in read)) throw new Error(read.problem);
  return read.facts;
}

describe('document rules', () => {
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

  it('routes type 32 by amount (PROTOCOL §5)', () => {
    const small = facts(
      makeEcfXml({ tipo: '32', montoGravado: '1000.00', itbis: '180.00', montoTotal: '1180.00' }),
    );
    expect(ecfFindings(small, 'recepcion')).toEqual([
      expect.objectContaining({ effect: 'reject', burnsSequence: false }),
    ]);
    const large = facts(
      makeEcfXml({ tipo: '32', montoGravado: '250000.00', itbis: '45000.00', montoTotal: '295000.00' }),
    );
    expect(ecfFindings(large, 'recepcion')).toEqual([]);
    expect(ecfFindings(facts(makeRfceXml()), 'recepcionfc')).toEqual([]);
    expect(ecfFindings(facts(makeRfceXml()), 'recepcion')).toEqual([
      expect.objectContaining({ effect: 'reject' }),
    ]);
  });

  it('allows one unit per item line on MontoTotal, then remarks (IT §12)', () => {
    expect(ecfFindings(facts(makeEcfXml({ montoTotal: '119.00' })), 'recepcion')).toEqual([]);
    expect(ecfFindings(facts(makeEcfXml({ montoTotal: '119.01' })), 'recepcion')).toEqual([
      expect.objectContaining({ effect: 'conditional', burnsSequence: true }),
    ]);
  });
});
