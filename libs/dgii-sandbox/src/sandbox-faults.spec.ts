import { SandboxFaults } from './sandbox-faults';

describe('SandboxFaults', () => {
  it('skip lets K matching calls through, then faults the next N, ignoring calls that do not match', () => {
    const faults = new SandboxFaults();
    faults.add({ kind: 'reject', next: 1, skip: 2, path: 'recepcion' });
    expect(faults.take('/certecf/consultaresultado/api/consultas/estado')).toBeUndefined();
    expect(faults.take('/certecf/recepcion/api/facturaselectronicas')).toBeUndefined();
    expect(faults.take('/certecf/recepcionfc/api/recepcion/ecf')).toBeUndefined();
    expect(faults.take('/certecf/recepcion/api/facturaselectronicas')).toBe('reject');
    expect(faults.take('/certecf/recepcion/api/facturaselectronicas')).toBeUndefined();
    expect(faults.pending()).toEqual([]);
  });
});
