import type { Response } from 'express';
import { honourBodyStatus } from '@app/common';
import type { DgiiRuling, EcfIssueResult, IssueResult } from '@app/issuance';
import { issueAcecfResponseOf, issueEcfResponseOf } from './issue-ecf.response';

/** The status `honourBodyStatus` gives a body, read through a stand-in Express response. */
function statusOf(body: object): number | undefined {
  const res = {
    code: undefined as number | undefined,
    status(code: number) {
      this.code = code;
      return this;
    },
    json(payload: unknown) {
      return payload;
    },
  };
  honourBodyStatus({ response: res as unknown as Response });
  res.json(body);
  return res.code;
}

// Fields in an order unlike the guide's, so the mapper has to reorder them.
function ecfResult(ruling: DgiiRuling, extra: Partial<EcfIssueResult> = {}): EcfIssueResult {
  return {
    securityCode: 'AI7Q2d',
    signedAt: '2026-04-01T10:15:00-04:00',
    qrUrl: 'https://ecf.dgii.gov.do/…',
    signedXml: '<ECF/>',
    ruling,
    statusMessage: 'Aceptado',
    success: ruling !== 'rejected',
    dgiiEstado: 'Aceptado',
    submittedAt: '2026-04-01T14:15:00Z',
    trackId: 't-1',
    ecfNumber: 'E310000000001',
    ...extra,
  };
}

describe('issue response mapping (guide §3.2, §10; DESIGN §3)', () => {
  it('writes the guide fields first, in its order, then ours, and drops the ruling', () => {
    const body = issueEcfResponseOf(
      ecfResult('accepted', { mensajes: [{ codigo: '0', valor: 'x' }], rfceSignedXml: '<RFCE/>' }),
    );
    expect(Object.keys(body)).toEqual([
      'ecfNumber',
      'trackId',
      'dgiiEstado',
      'signedXml',
      'submittedAt',
      'success',
      'statusMessage',
      'securityCode',
      'signedAt',
      'qrUrl',
      'mensajes',
      'rfceSignedXml',
    ]);
  });

  it.each<[DgiiRuling, number]>([
    ['accepted', 200],
    ['not-sent', 200],
    ['in-process', 202],
    ['rejected', 400],
  ])('answers a %s document with HTTP %i', (ruling, status) => {
    expect(statusOf(issueEcfResponseOf(ecfResult(ruling)))).toBe(status);
  });

  it('maps an ACECF result the same way, without an e-NCF field', () => {
    const { ecfNumber: _n, qrUrl: _q, ...acecf } = ecfResult('rejected');
    const body = issueAcecfResponseOf(acecf as IssueResult);
    expect(Object.keys(body).slice(0, 6)).toEqual([
      'trackId',
      'dgiiEstado',
      'signedXml',
      'submittedAt',
      'success',
      'statusMessage',
    ]);
    expect(body).not.toHaveProperty('ruling');
    expect(statusOf(body)).toBe(400);
  });
});
