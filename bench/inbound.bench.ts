/**
 * `npm run bench:inbound`: receptions per second of the receptor's `POST /fe/recepcion/api/ecf`
 * work (multipart read, hostile-XML guards, XSD, signature check over the bytes as received,
 * ARECF build + sign + XSD, event hand-over), measured in the same run beside bench:sign's raw
 * RSA-2048 sign rate and the ARECF sign alone, each as a ratio of raw. HTTP is left out (see
 * bench:http for the server's own cost).
 */
import 'reflect-metadata';
import { KeyObject, sign } from 'node:crypto';
import { join } from 'node:path';
import { Test } from '@nestjs/testing';
import { Clock, MetricsModule, SystemClock } from '@app/common';
import { ConfigModule, loadConfig } from '@app/config';
import {
  InboundEventSink,
  InboundModule,
  ReceptorService,
  ReceptorSigners,
  ReceptorRegistry,
} from '@app/inbound';
import { readDocument } from '@app/dgii-protocol';
import { signCanonicalXml, signingIdentityOf, verifyXmlSignature } from '@app/signing';
import { arecfFromRequest, buildDocument, XsdValidator } from '@app/xml-builder';
import { FIXTURE_SIGNED_AT, makeEcf, otherTestIdentity, testIdentity } from '@app/testing';
import { Module } from '@nestjs/common';
import { RecordingEventSink } from '../libs/inbound/src/testing/recording-event-sink';
import globalSetup from '../test/support/global-setup';
import { sharedDir } from '../test/support/shared-dir';
import { Measurement, measure, printRelativeTo } from './support/measure';

const RNC = '130000001';
const BOUNDARY = 'bench-boundary-7f3a';

function multipart(xml: string): Buffer {
  return Buffer.from(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="xml"; filename="doc.xml"\r\n` +
      `Content-Type: text/xml\r\n\r\n${xml}\r\n--${BOUNDARY}--\r\n`,
  );
}

/** Calls `fn` with `inFlight` calls at a time for `ms`; completed calls per second. */
async function measureAsync(
  name: string,
  fn: (i: number) => Promise<unknown>,
  inFlight: number,
  ms = 3_000,
): Promise<Measurement> {
  for (let i = 0; i < 20; i++) await fn(i);
  let done = 0;
  let next = 0;
  const start = performance.now();
  const worker = async (): Promise<void> => {
    while (performance.now() - start < ms) {
      await fn(next++);
      done++;
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  const wall = performance.now() - start;
  const perSec = (done * 1000) / wall;
  return { name, runs: done, medianMs: wall / done, opsPerSec: perSec, opsPerSecWall: perSec };
}

async function main(): Promise<void> {
  await globalSetup();
  const receptorKey = await testIdentity();
  const sender = await otherTestIdentity();
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DGII_XSD_DIR: join(sharedDir(), 'dgii/xsd'),
    INBOUND_RATE_LIMIT_PER_IP: '0',
  });
  const sink = new RecordingEventSink();
  @Module({ providers: [{ provide: InboundEventSink, useValue: sink }], exports: [InboundEventSink] })
  class BenchEvents {}
  const moduleRef = await Test.createTestingModule({
    imports: [ConfigModule.forRoot(config), MetricsModule, InboundModule.forRoot({ events: BenchEvents })],
  })
    .overrideProvider(Clock)
    .useValue(new SystemClock())
    .compile();
  await moduleRef.init();
  const receptor = moduleRef.get(ReceptorService);
  await moduleRef.get(ReceptorRegistry).insert({
    rnc: RNC,
    apiKeyId: 'bench',
    callbackUrl: 'http://127.0.0.1:9/hook',
    requireAuth: false,
    callbackSecret: 'whsec_bench',
    createdAt: 0,
    updatedAt: 0,
  });
  moduleRef.get(ReceptorSigners).attach(RNC, {
    identity: signingIdentityOf({ ...receptorKey, keyType: 'rsa' }),
    expiresAt: Date.now() + 3_600_000,
    sessionTokenHash: 'bench',
  });

  // Distinct e-CFs, so most receptions are Estado 0 (each becomes an event) until they run out.
  const DOCS = 4_000;
  const bodies: Buffer[] = [];
  const docs: string[] = [];
  for (let i = 1; i <= DOCS; i++) {
    const json = makeEcf('31', { lines: 10, sequence: i, patch: { FechaHoraFirma: FIXTURE_SIGNED_AT } });
    docs.push(signCanonicalXml(buildDocument('31', json as never), sender).xml);
    bodies.push(multipart(docs[i - 1]));
  }
  const xsd = await XsdValidator.load(join(sharedDir(), 'dgii/xsd'));
  const receive = (i: number) =>
    receptor.recepcion({
      rnc: RNC,
      ip: '127.0.0.1',
      contentType: `multipart/form-data; boundary=${BOUNDARY}`,
      body: bodies[i % DOCS],
    });

  const benchJson = makeEcf('31', { lines: 10, patch: { FechaHoraFirma: FIXTURE_SIGNED_AT } });
  const key = KeyObject.from(receptorKey.privateKey);
  const signedInfo = Buffer.from(
    '<SignedInfo xmlns="http://www.w3.org/2000/09/xmldsig#">' + 'x'.repeat(700) + '</SignedInfo>',
  );
  const arecf = buildDocument(
    'ARECF',
    arecfFromRequest(
      { rncEmisor: '131793916', rncComprador: RNC, eNCF: 'E310000000001', estado: 0 },
      new Date(),
    ),
  );
  console.log(`Node ${process.version}; inbound e-CF 31 of 10 lines: ${bodies[0].length} B multipart\n`);

  const raw = measure('raw crypto.sign RSA-2048 (bench:sign baseline)', () =>
    sign('sha256', signedInfo, key),
  );
  const rows: Measurement[] = [
    raw,
    measure('bench:sign row: build + sign, 10 lines', () =>
      signCanonicalXml(buildDocument('31', benchJson as never), receptorKey),
    ),
    measure('ARECF build + sign', () =>
      signCanonicalXml(
        buildDocument(
          'ARECF',
          arecfFromRequest(
            { rncEmisor: '131793916', rncComprador: RNC, eNCF: 'E310000000001', estado: 0 },
            new Date(),
          ),
        ),
        receptorKey,
      ),
    ),
    measure('ARECF sign only', () => signCanonicalXml(arecf, receptorKey)),
    await measureAsync('reception (verify + ARECF sign), 1 in flight', receive, 1),
    await measureAsync('reception (verify + ARECF sign), 8 in flight', receive, 8),
    // Where a reception's time goes: each step alone.
    await measureAsync(
      '  of which: signature check (verifyXmlSignature)',
      (i) => verifyXmlSignature(docs[i % DOCS]),
      1,
    ),
    measure('  of which: XSD of the inbound e-CF', () => xsd.validate('31', docs[0])),
    measure('  of which: readDocument (facts)', () => readDocument(docs[0])),
  ];
  xsd.dispose();
  printRelativeTo(raw, rows);
  console.log(`\nevents handed to the sink: ${sink.events.length}`);
  await moduleRef.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
