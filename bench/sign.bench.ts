/**
 * `npm run bench:sign`: build + sign (+ XSD) throughput of a 10-line and a 1,000-line e-CF 31,
 * measured side by side with raw RSA-2048 `crypto.sign` in the same run, each as a ratio of raw
 * (DESIGN §7 targets: build + sign ≥ 0.70 of raw, with XSD ≥ 0.35, for the 10-line document).
 */
import { KeyObject, sign } from 'node:crypto';
import { join } from 'node:path';
import { signCanonicalXml } from '@app/signing';
import { buildDocument, XsdValidator } from '@app/xml-builder';
import { FIXTURE_SIGNED_AT, makeEcf, testIdentity } from '@app/testing';
import globalSetup from '../test/support/global-setup';
import { sharedDir } from '../test/support/shared-dir';
import { Measurement, measure, printRelativeTo } from './support/measure';

async function main(): Promise<void> {
  await globalSetup();
  const identity = await testIdentity();
  const xsd = await XsdValidator.load(join(sharedDir(), 'dgii/xsd'));
  const smallJson = makeEcf('31', { lines: 10 });
  const largeJson = makeEcf('31', { lines: 1000 });
  const build = (json: typeof smallJson) => buildDocument('31', json, { fechaHoraFirma: FIXTURE_SIGNED_AT });
  const small = build(smallJson);
  const large = build(largeJson);
  for (const doc of [small, large]) {
    const check = xsd.validate('31', signCanonicalXml(doc, identity).xml);
    if (!check.valid) throw new Error(`bench document is not XSD-valid: ${check.errors.join('; ')}`);
  }

  const key = KeyObject.from(identity.privateKey);
  const signedInfo = Buffer.from(
    '<SignedInfo xmlns="http://www.w3.org/2000/09/xmldsig#">' + 'x'.repeat(700) + '</SignedInfo>',
  );
  console.log(
    `Node ${process.version}; documents: 10 items ${Buffer.byteLength(small)} B, 1,000 items ${Buffer.byteLength(large)} B\n`,
  );

  const raw = measure('raw crypto.sign RSA-2048', () => sign('sha256', signedInfo, key));
  const rows: Measurement[] = [
    raw,
    measure('sign only (pre-built), 10 lines', () => signCanonicalXml(small, identity)),
    measure('build + sign, 10 lines', () => signCanonicalXml(build(smallJson), identity)),
    measure('build + sign + XSD, 10 lines', () =>
      xsd.validate('31', signCanonicalXml(build(smallJson), identity).xml),
    ),
    measure('build + sign, 1,000 lines', () => signCanonicalXml(build(largeJson), identity), {
      minRuns: 100,
    }),
    measure(
      'build + sign + XSD, 1,000 lines',
      () => xsd.validate('31', signCanonicalXml(build(largeJson), identity).xml),
      { minRuns: 100 },
    ),
  ];
  printRelativeTo(raw, rows);
  xsd.dispose();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
