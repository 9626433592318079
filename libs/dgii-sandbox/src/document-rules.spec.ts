import { readDocument } from '@app/dgii-protocol';
import { makeEcfXml, makeRfceXml } from '../../dgii-protocol/src/testing/dgii-documents.fixture';
import { ecfFindings } from './document-rules';

function facts(xml: string) {
  const read = readDocument(xml);
  if (!('facts' in read)) throw new Error(read.problem);
  return read.facts;
}

describe('document rules', () => {
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
