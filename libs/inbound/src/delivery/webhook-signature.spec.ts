import { Webhook } from 'standardwebhooks';
import { newWebhookSecret, signWebhook } from './webhook-signature';

/** standardwebhooks checks the timestamp against Date.now(); pin it to the signing instant. */
function verifyAt(atMs: number, secret: string, body: string, headers: Record<string, string>): unknown {
  const spy = jest.spyOn(Date, 'now').mockReturnValue(atMs);
  try {
    return new Webhook(secret).verify(body, headers);
  } finally {
    spy.mockRestore();
  }
}

describe('Standard Webhooks signing (checked by the standardwebhooks package)', () => {
  const at = Date.parse('2026-04-23T17:00:00Z');
  const body = JSON.stringify({ id: 'evt_1', type: 'ecf.received', xml: '<ECF>ñ…</ECF>' });

  it('signs so the reference implementation verifies, and the headers are what it expects', () => {
    const secret = newWebhookSecret();
    const headers = signWebhook(secret, 'evt_1', at, body);
    expect(headers['webhook-timestamp']).toBe(String(at / 1000));
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(verifyAt(at, secret, body, { ...headers })).toEqual(JSON.parse(body));
    // The same signature as the reference's own signer.
    expect(headers['webhook-signature']).toBe(new Webhook(secret).sign('evt_1', new Date(at), body));
  });

  it('a changed body, id, timestamp or secret fails verification', () => {
    const secret = newWebhookSecret();
    const headers = { ...signWebhook(secret, 'evt_1', at, body) };
    expect(() => verifyAt(at, secret, body.replace('ñ', 'n'), headers)).toThrow();
    expect(() => verifyAt(at, secret, body, { ...headers, 'webhook-id': 'evt_2' })).toThrow();
    expect(() =>
      verifyAt(at, secret, body, { ...headers, 'webhook-timestamp': String(at / 1000 + 1) }),
    ).toThrow();
    expect(() => verifyAt(at, newWebhookSecret(), body, headers)).toThrow();
  });

  it('makes distinct whsec_ secrets of 32 bytes and refuses malformed ones', () => {
    const a = newWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(a.slice(6), 'base64')).toHaveLength(32);
    expect(newWebhookSecret()).not.toBe(a);
    expect(() => signWebhook('not-a-secret', 'evt_1', at, body)).toThrow(/whsec_/);
    expect(() => signWebhook('whsec_AAAA', 'evt_1', at, body)).toThrow(/short/);
  });
});
