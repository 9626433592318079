import { webcrypto } from 'node:crypto';
import { p12, passwordFor } from '@app/testing';
import { importPkcs8, P12Error, unlockP12 } from './index';

/** The seam of issue 13: a shared session store keeps the PKCS#8 encrypted and imports it back. */
describe('keepPkcs8 and importPkcs8', () => {
  const data = Buffer.from('documento');
  const rsa = { name: 'RSASSA-PKCS1-v1_5' };

  it('gives a PKCS#8 copy only when asked', async () => {
    const plain = await unlockP12(p12('rsa2048-modern'), passwordFor('rsa2048-modern'));
    expect(plain.pkcs8).toBeUndefined();
    const kept = await unlockP12(p12('rsa2048-modern'), passwordFor('rsa2048-modern'), { keepPkcs8: true });
    expect(kept.pkcs8?.length).toBeGreaterThan(1000);
  });

  it('imports it back as a non-extractable key that signs like the original, picking the leaf', async () => {
    const kept = await unlockP12(p12('rsa2048-modern-chain'), passwordFor('rsa2048-modern-chain'), {
      keepPkcs8: true,
    });
    expect(kept.chain.length).toBeGreaterThan(0);
    const again = await importPkcs8(kept.pkcs8!, [...kept.chain.map((c) => c.raw), kept.certificate.raw]);
    expect(again.privateKey.extractable).toBe(false);
    expect(again.certificate.raw.equals(kept.certificate.raw)).toBe(true);
    expect(again.keyType).toBe('rsa');
    // RSA PKCS#1 v1.5 is deterministic: the same key gives the same signature.
    const one = Buffer.from(await webcrypto.subtle.sign(rsa, kept.privateKey, data));
    const two = Buffer.from(await webcrypto.subtle.sign(rsa, again.privateKey, data));
    expect(two.equals(one)).toBe(true);
  });

  it('refuses a damaged key, a damaged certificate, or certificates that do not match', async () => {
    const kept = await unlockP12(p12('rsa2048-modern'), passwordFor('rsa2048-modern'), { keepPkcs8: true });
    const other = await unlockP12(p12('rsa4096-modern'), passwordFor('rsa4096-modern'));
    await expect(importPkcs8(Buffer.from('not a key'), [kept.certificate.raw])).rejects.toMatchObject({
      reason: 'MALFORMED',
    });
    await expect(importPkcs8(kept.pkcs8!, [Buffer.from('not a certificate')])).rejects.toBeInstanceOf(
      P12Error,
    );
    await expect(importPkcs8(kept.pkcs8!, [other.certificate.raw])).rejects.toMatchObject({
      reason: 'NO_MATCHING_CERT',
    });
  });
});
