import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { Writable } from 'node:stream';
import request from 'supertest';
import { InboundEventSink } from '@app/inbound';
import { signCanonicalXml, signSemilla, SigningKeyPair, verifyXmlSignature } from '@app/signing';
import {
  FIXTURE_SIGNED_AT,
  itWithOfficialFiles,
  makeEcf,
  officialDir,
  otherTestIdentity,
  xmllintValidate,
  xmlsecVerify,
  xsdCheckEnv,
} from '@app/testing';
import { acecfFromRequest, buildDocument, EcfType } from '@app/xml-builder';
import { RecordingEventSink } from '../libs/inbound/src/testing/recording-event-sink';
import { openSession } from './support/sessions';
import { API_KEY, createTestApp, OTHER_API_KEY, TestApp } from './support/test-app';

/** makeEcf's buyer: the receptor under test. */
const RECEPTOR = '130000001';
const OTHER_RECEPTOR = '130000002';
const HOST_SUFFIX = 'ecf.test.example';
const ISSUER = '131793916';

function tag(xml: string, name: string): string | undefined {
  return new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];
}

describe('inbound receptor (e2e): PROTOCOL §8 over loopback', () => {
  let t: TestApp;
  let sink: RecordingEventSink;
  let sender: SigningKeyPair;
  let integrator: string;
  let secret: string;
  const logLines: string[] = [];
  const http = () => request(t.app.getHttpServer());
  const base = (rnc = RECEPTOR) => `/receptor/${rnc}/fe`;

  /** A signed e-CF of `type` from ISSUER to `buyer`, signed by the sender's own certificate. */
  const signedEcf = (type: EcfType, sequence: number, buyer = RECEPTOR, patch: object = {}): string =>
    signCanonicalXml(
      buildDocument(
        type,
        makeEcf(type, {
          sequence,
          patch: {
            Encabezado: { Comprador: { RNCComprador: buyer } },
            FechaHoraFirma: FIXTURE_SIGNED_AT,
            ...patch,
          },
        }) as never,
      ),
      sender,
    ).xml;

  const post = (path: string, xml: string, token?: string, name = 'xml') => {
    const req = http().post(path);
    if (token) req.set('Authorization', `Bearer ${token}`);
    return req.attach(name, Buffer.from(xml, 'utf8'), { filename: 'doc.xml', contentType: 'text/xml' });
  };

  /** The sender's side of PROTOCOL §8.1: seed, signed seed, token. */
  async function authenticate(rnc = RECEPTOR): Promise<{ token: string; expira: string; expedido: string }> {
    const seed = await http()
      .get(`${base(rnc)}/autenticacion/api/semilla`)
      .expect(200);
    expect(seed.headers['content-type']).toMatch(/xml/);
    const signed = signSemilla(seed.text, sender);
    const res = await post(`${base(rnc)}/autenticacion/api/validacioncertificado`, signed).expect(200);
    return res.body as { token: string; expira: string; expedido: string };
  }

  const register = (rnc: string, bearer: string, body: object = {}, apiKey = API_KEY) =>
    http()
      .put(`/api/v1/inbound/receptors/${rnc}`)
      .set('X-Api-Key', apiKey)
      .set('Authorization', `Bearer ${bearer}`)
      .send({ callbackUrl: 'http://127.0.0.1:9/hook', ...body });

  /** Streams `size` bytes of multipart body with chunked encoding; resolves with the status. */
  function chunkedUpload(path: string, token: string, size: number): Promise<number> {
    const { port } = t.app.getHttpServer().address() as AddressInfo;
    return new Promise((resolveStatus, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port,
          path,
          method: 'POST',
          headers: {
            Authorization: `Bearer ${token}`,
            'Content-Type': 'multipart/form-data; boundary=b',
            'Transfer-Encoding': 'chunked',
          },
        },
        (res) => {
          res.resume();
          resolveStatus(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.write('--b\r\nContent-Disposition: form-data; name="xml"\r\n\r\n');
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      let sent = 0;
      const pump = (): void => {
        while (sent < size) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        req.end('\r\n--b--\r\n');
      };
      pump();
    });
  }

  beforeAll(async () => {
    sink = new RecordingEventSink();
    const logStream = new Writable({
      write(chunk: Buffer, _enc, done) {
        logLines.push(chunk.toString('utf8'));
        done();
      },
    });
    t = await createTestApp({
      env: {
        ...xsdCheckEnv(),
        INBOUND_HOST_SUFFIX: HOST_SUFFIX,
        INBOUND_RATE_LIMIT_PER_IP: '0',
        LOG_LEVEL: 'info',
      },
      logStream,
      overrides: [{ provide: InboundEventSink, useValue: sink }],
    });
    sender = await otherTestIdentity();
    integrator = await openSession(t.app);
  });
  afterAll(() => t.close());

  describe('registration (§1)', () => {
    it('PUT registers the receptor, attaches the session and returns the secret once', async () => {
      const res = await register(RECEPTOR, integrator, { requireAuth: true }).expect(200);
      expect(res.body).toMatchObject({
        rnc: RECEPTOR,
        requireAuth: true,
        urls: {
          recepcion: `https://${RECEPTOR}.${HOST_SUFFIX}`,
          aprobacionComercial: `https://${RECEPTOR}.${HOST_SUFFIX}`,
          autenticacion: `https://${RECEPTOR}.${HOST_SUFFIX}`,
        },
        signer: { signerCedula: '40209547971' },
      });
      secret = (res.body as { callbackSecret: string }).callbackSecret;
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);

      const again = await register(RECEPTOR, integrator, { requireAuth: true }).expect(200);
      expect(again.body).not.toHaveProperty('callbackSecret');
      const got = await http()
        .get(`/api/v1/inbound/receptors/${RECEPTOR}`)
        .set('X-Api-Key', API_KEY)
        .set('Authorization', `Bearer ${integrator}`)
        .expect(200);
      expect(got.body).not.toHaveProperty('callbackSecret');
      expect(got.body).toMatchObject({ rnc: RECEPTOR, signer: { signerCedula: '40209547971' } });
    });

    it('another API key gets 409 RECEPTOR_TAKEN, and cannot see or delete it (404)', async () => {
      const other = await openSession(t.app, 'rsa2048-modern', OTHER_API_KEY);
      const res = await register(RECEPTOR, other, {}, OTHER_API_KEY).expect(409);
      expect(res.body).toMatchObject({ code: 'RECEPTOR_TAKEN' });
      for (const req of [
        http().get(`/api/v1/inbound/receptors/${RECEPTOR}`),
        http().delete(`/api/v1/inbound/receptors/${RECEPTOR}`),
        http().post(`/api/v1/inbound/receptors/${RECEPTOR}/rotate-secret`),
      ]) {
        const r = await req.set('X-Api-Key', OTHER_API_KEY).set('Authorization', `Bearer ${other}`);
        expect(r.status).toBe(404);
        expect(r.body).toMatchObject({ code: 'NOT_FOUND' });
      }
    });

    it('needs the API key and the bearer; validates the RNC and the callback URL', async () => {
      await http().put(`/api/v1/inbound/receptors/${RECEPTOR}`).send({ callbackUrl: 'http://x' }).expect(401);
      const bad = await register('12345', integrator).expect(400);
      expect(bad.body).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: 'rnc' }] });
      const url = await register(RECEPTOR, integrator, { callbackUrl: 'ftp://x' }).expect(400);
      expect(url.body).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: 'callbackUrl' }] });
    });

    it('rotate-secret returns a new secret', async () => {
      const res = await http()
        .post(`/api/v1/inbound/receptors/${RECEPTOR}/rotate-secret`)
        .set('X-Api-Key', API_KEY)
        .set('Authorization', `Bearer ${integrator}`)
        .expect(200);
      const rotated = (res.body as { callbackSecret: string }).callbackSecret;
      expect(rotated).toMatch(/^whsec_/);
      expect(rotated).not.toBe(secret);
      secret = rotated;
    });

    it('DELETE removes it: its URLs answer 404', async () => {
      await register(OTHER_RECEPTOR, integrator, { requireAuth: false }).expect(200);
      await http()
        .get(`${base(OTHER_RECEPTOR)}/autenticacion/api/semilla`)
        .expect(200);
      await http()
        .delete(`/api/v1/inbound/receptors/${OTHER_RECEPTOR}`)
        .set('X-Api-Key', API_KEY)
        .set('Authorization', `Bearer ${integrator}`)
        .expect(204);
      const gone = await http()
        .get(`${base(OTHER_RECEPTOR)}/autenticacion/api/semilla`)
        .expect(404);
      expect(gone.body).toMatchObject({ code: 'NOT_FOUND' });
    });
  });

  describe('authentication (§8.1)', () => {
    it('the seed handshake gives {token, expira, expedido}; a seed is single-use', async () => {
      const seed = await http().get(`${base()}/autenticacion/api/semilla`).expect(200);
      const seed2 = await http().get(`${base()}/autenticacion/api/semilla`).expect(200);
      expect(tag(seed.text, 'valor')).not.toBe(tag(seed2.text, 'valor'));
      const signed = signSemilla(seed.text, sender);
      const res = await post(`${base()}/autenticacion/api/validacioncertificado`, signed).expect(200);
      expect(res.body).toEqual({
        token: expect.any(String),
        expira: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
        expedido: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      });
      // Spent: the same signed seed does not buy a second token.
      await post(`${base()}/autenticacion/api/validacioncertificado`, signed).expect(400);
    });

    it('a seed this receptor did not issue, or a tampered signed seed, gets no token', async () => {
      await register(OTHER_RECEPTOR, integrator).expect(200);
      const foreign = await http()
        .get(`${base(OTHER_RECEPTOR)}/autenticacion/api/semilla`)
        .expect(200);
      await post(
        `${base()}/autenticacion/api/validacioncertificado`,
        signSemilla(foreign.text, sender),
      ).expect(400);
      const seed = await http().get(`${base()}/autenticacion/api/semilla`).expect(200);
      const tampered = signSemilla(seed.text, sender).replace('<valor>', '<valor>x');
      await post(`${base()}/autenticacion/api/validacioncertificado`, tampered).expect(400);
    });

    it('with requireAuth the document routes need this receptor’s bearer (401)', async () => {
      const xml = signedEcf('31', 900);
      const none = await post(`${base()}/recepcion/api/ecf`, xml).expect(401);
      expect(none.body).toMatchObject({ code: 'RECEPTOR_AUTH_REQUIRED' });
      expect(none.headers['www-authenticate']).toBe('Bearer');
      const otherToken = (await authenticate(OTHER_RECEPTOR)).token;
      await post(`${base()}/recepcion/api/ecf`, xml, otherToken).expect(401);
      await post(`${base()}/aprobacioncomercial/api/ecf`, xml, otherToken).expect(401);
      await post(`${base()}/recepcion/api/ecf`, xml, 'not-a-token').expect(401);
      expect(sink.events).toHaveLength(0);
    });
  });

  describe('reception (§8.2): a signed ARECF for every parsable e-CF', () => {
    let token: string;
    beforeAll(async () => {
      token = (await authenticate()).token;
    });

    itWithOfficialFiles(
      'a sender authenticates and POSTs; the ARECF is XSD-valid and verifies with xmlsec1',
      async () => {
        const xml = signedEcf('31', 1);
        const res = await post(`${base()}/recepcion/api/ecf`, xml, token).expect(200);
        expect(res.headers['content-type']).toMatch(/^application\/xml/);
        const arecf = res.text;
        expect(tag(arecf, 'Estado')).toBe('0');
        expect(arecf).not.toContain('CodigoMotivoNoRecibido');
        expect(tag(arecf, 'RNCEmisor')).toBe(ISSUER);
        expect(tag(arecf, 'RNCComprador')).toBe(RECEPTOR);
        expect(tag(arecf, 'eNCF')).toBe('E310000000001');
        expect(xmlsecVerify(arecf)).toMatchObject({ ok: true });
        expect(xmllintValidate(arecf, resolve(officialDir('xsd'), 'ARECF-v1.0.xsd'))).toMatchObject({
          ok: true,
        });
        // Signed by the attached session's certificate, not the sender's.
        const verified = await verifyXmlSignature(arecf);
        expect(verified.valid && verified.certificate.fingerprint256).not.toBe(
          sender.certificate.fingerprint256,
        );
        expect(verified.valid).toBe(true);
        const event = sink.events.at(-1)!;
        expect(event).toMatchObject({
          type: 'ecf.received',
          rnc: RECEPTOR,
          apiKeyId: expect.any(String),
          document: { tipoeCF: '31', eNCF: 'E310000000001', rncEmisor: ISSUER, rncComprador: RECEPTOR },
          arecf: { estado: '0', signedXml: arecf },
        });
        // The bytes as received, never re-serialised.
        expect(event.xml).toBe(xml);
      },
    );

    const estadoOf = async (xml: string): Promise<[string | undefined, string | undefined]> => {
      const res = await post(`${base()}/recepcion/api/ecf`, xml, token).expect(200);
      expect(xmlsecVerify(res.text)).toMatchObject({ ok: true });
      return [tag(res.text, 'Estado'), tag(res.text, 'CodigoMotivoNoRecibido')];
    };

    it('every Estado path, in PROTOCOL §8.2 order', async () => {
      const before = sink.events.length;
      // Received.
      const good = signedEcf('33', 2);
      expect(await estadoOf(good)).toEqual(['0', undefined]);
      // Duplicate: the same e-NCF from the same issuer.
      expect(await estadoOf(good)).toEqual(['1', '3']);
      // Foreign RNC: the buyer is someone else.
      expect(await estadoOf(signedEcf('31', 3, '131880738'))).toEqual(['1', '4']);
      // Signature: a byte changed after signing.
      const tampered = signedEcf('34', 4).replace(/<RazonSocialEmisor>/, '<RazonSocialEmisor>X');
      expect(await estadoOf(tampered)).toEqual(['1', '2']);
      // Signature before duplicate: a tampered copy of a received one is a signature error.
      expect(await estadoOf(good.replace(/<RazonSocialEmisor>/, '<RazonSocialEmisor>X'))).toEqual(['1', '2']);
      // Wrong type: 32 and 41 are never sent between taxpayers.
      expect(await estadoOf(signedEcf('32', 5))).toEqual(['1', '1']);
      expect(await estadoOf(signedEcf('41', 6))).toEqual(['1', '1']);
      // Only the received one became an event.
      expect(sink.events.length).toBe(before + 1);
    });

    itWithOfficialFiles('XSD-invalid → Estado 1, code 1 (before the signature check)', async () => {
      const unsigned = buildDocument(
        '31',
        makeEcf('31', { sequence: 7, patch: { FechaHoraFirma: FIXTURE_SIGNED_AT } }) as never,
      ).replace('</Encabezado>', '</Encabezado><Intruso>1</Intruso>');
      const xml = signCanonicalXml(unsigned, sender).xml;
      expect(await estadoOf(xml)).toEqual(['1', '1']);
      expect(await estadoOf(xml.replace('<Intruso>1', '<Intruso>2'))).toEqual(['1', '1']);
    });

    itWithOfficialFiles(
      "DGII's simulator's pretty e-CF (Version 1) verifies over its bytes as received → Estado 0",
      async () => {
        const xml = readFileSync(
          resolve(officialDir('samples'), 'ecf31-signed-by-dgii-emisorreceptor-131880738E310000000002.xml'),
          'utf8',
        );
        await register('130862346', integrator, { requireAuth: false }).expect(200);
        const res = await post('/receptor/130862346/fe/recepcion/api/ecf', xml).expect(200);
        expect([tag(res.text, 'Estado'), tag(res.text, 'CodigoMotivoNoRecibido')]).toEqual(['0', undefined]);
        expect(sink.events.at(-1)!.xml).toBe(xml);
      },
      ['xsd', 'samples'],
    );

    it('no xml part, not multipart, or no eNCF → 400 envelope', async () => {
      const noPart = await post(`${base()}/recepcion/api/ecf`, signedEcf('31', 8), token, 'file').expect(400);
      expect(noPart.body).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('"xml"') });
      await http()
        .post(`${base()}/recepcion/api/ecf`)
        .set('Authorization', `Bearer ${token}`)
        .set('Content-Type', 'text/xml')
        .send('<ECF/>')
        .expect(400);
      await post(`${base()}/recepcion/api/ecf`, '<ECF><Encabezado/></ECF>', token).expect(400);
      await post(`${base()}/recepcion/api/ecf`, '<ECF><unclosed></ECF>', token).expect(400);
    });

    it('an unknown RNC → 404', async () => {
      const res = await post(`${base('139999999')}/recepcion/api/ecf`, signedEcf('31', 9), token).expect(404);
      expect(res.body).toMatchObject({ code: 'NOT_FOUND' });
    });

    it('host routing and path routing; any case; the accented recepción', async () => {
      const viaHost = await post('/fe/Recepcion/API/ecf', signedEcf('31', 10), token)
        .set('Host', `${RECEPTOR}.${HOST_SUFFIX.toUpperCase()}:443`)
        .expect(200);
      expect(tag(viaHost.text, 'Estado')).toBe('0');
      const accented = await post(
        `/Receptor/${RECEPTOR}/FE/recepci%C3%B3n/api/ECF`,
        signedEcf('31', 11),
        token,
      ).expect(200);
      expect(tag(accented.text, 'Estado')).toBe('0');
      const seed = await http()
        .get('/FE/Autenticacion/Api/Semilla')
        .set('Host', `${RECEPTOR}.${HOST_SUFFIX}`);
      expect(seed.status).toBe(200);
      expect(seed.text).toContain('<SemillaModel');
      // Another host's /fe is not a receptor.
      await http().get('/fe/autenticacion/api/semilla').set('Host', `${RECEPTOR}.other.example`).expect(404);
    });

    it('hostile XML → 400 fast, nothing forwarded', async () => {
      const before = sink.events.length;
      const bomb =
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>' +
        '<ECF><Encabezado><IdDoc><eNCF>&lol2;</eNCF></IdDoc></Encabezado></ECF>';
      const xxe = '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><ECF>&e;</ECF>';
      const deep = `<ECF>${'<a>'.repeat(50_000)}${'</a>'.repeat(50_000)}</ECF>`;
      const good = signedEcf('31', 12);
      // Signature wrapping: a second Signature hides the signed content from a naive reader.
      const wrapped = good.replace(
        '<Encabezado>',
        `<Wrapper>${/<Signature[\s\S]*<\/Signature>/.exec(good)![0]}</Wrapper><Encabezado>`,
      );
      for (const xml of [bomb, xxe, deep, wrapped]) {
        const res = await post(`${base()}/recepcion/api/ecf`, xml, token);
        expect(res.status).toBe(400);
        expect(res.body).toMatchObject({ code: 'BAD_REQUEST' });
        expect(JSON.stringify(res.body)).not.toContain('passwd');
      }
      const huge = await http()
        .post(`${base()}/recepcion/api/ecf`)
        .set('Authorization', `Bearer ${token}`)
        .attach('xml', Buffer.alloc(5 * 1024 * 1024, 0x20), { filename: 'big.xml', contentType: 'text/xml' });
      expect(huge.status).toBe(400);
      // Chunked, with no Content-Length: reading stops at the limit and the answer is still a 400.
      expect(await chunkedUpload(`${base()}/recepcion/api/ecf`, token, 6 * 1024 * 1024)).toBe(400);
      expect(sink.events.length).toBe(before);
    });

    it('a full event store → 503 to the sender, and the retry is not a duplicate', async () => {
      const xml = signedEcf('31', 13);
      sink.full = true;
      try {
        const res = await post(`${base()}/recepcion/api/ecf`, xml, token).expect(503);
        expect(res.body).toMatchObject({ code: 'RECEPTOR_UNAVAILABLE' });
        expect(res.headers['retry-after']).toBeDefined();
      } finally {
        sink.full = false;
      }
      const retry = await post(`${base()}/recepcion/api/ecf`, xml, token).expect(200);
      expect(tag(retry.text, 'Estado')).toBe('0');
    });
  });

  describe('commercial approval (§8.3)', () => {
    let token: string;
    const acecf = (rncEmisor: string, sequence = 5, tipo = '31') =>
      signCanonicalXml(
        buildDocument(
          'ACECF',
          acecfFromRequest(
            {
              rncEmisor,
              rncComprador: '131880738',
              eNCF: `E31${String(sequence).padStart(10, '0')}`,
              fechaEmisionOriginal: '2026-04-01',
              montoTotalOriginal: 1180,
              estado: 1,
            },
            new Date(),
          ),
          // Our builder refuses an approval of a type that has none: written by hand for the test.
        ).replace('<eNCF>E31', `<eNCF>E${tipo}`),
        sender,
      ).xml;
    beforeAll(async () => {
      token = (await authenticate()).token;
    });

    it('an ACECF about an e-CF this RNC issued → 200 and an acecf.received event', async () => {
      const xml = acecf(RECEPTOR);
      const res = await post(`${base()}/aprobacioncomercial/api/ecf`, xml, token).expect(200);
      expect(res.body).toEqual({ codigo: 'OK', estado: '1', mensaje: [] });
      expect(sink.events.at(-1)).toMatchObject({
        type: 'acecf.received',
        rnc: RECEPTOR,
        xml,
        document: { rncEmisor: RECEPTOR, estado: '1' },
      });
    });

    it('another issuer’s e-CF, a bad signature or not an ACECF → 400 with why', async () => {
      const before = sink.events.length;
      const foreign = await post(`${base()}/aprobacioncomercial/api/ecf`, acecf(ISSUER), token).expect(400);
      expect(foreign.body).toMatchObject({
        codigo: 'Error',
        mensaje: [expect.stringContaining('RNCEmisor')],
      });
      const tampered = acecf(RECEPTOR).replace('<Estado>1</Estado>', '<Estado>2</Estado>');
      const bad = await post(`${base()}/aprobacioncomercial/api/ecf`, tampered, token).expect(400);
      expect(bad.body).toMatchObject({ codigo: 'Error', mensaje: [expect.stringContaining('signature')] });
      const type32 = await post(`${base()}/aprobacioncomercial/api/ecf`, acecf(RECEPTOR, 6, '32'), token);
      expect(type32.status).toBe(400);
      expect(type32.body).toMatchObject({ codigo: 'Error', mensaje: [expect.stringContaining('type 32')] });
      const notAcecf = await post(`${base()}/aprobacioncomercial/api/ecf`, signedEcf('31', 20), token).expect(
        400,
      );
      expect(notAcecf.body).toMatchObject({ codigo: 'Error' });
      expect(sink.events.length).toBe(before);
    });

    itWithOfficialFiles(
      "DGII's simulator's ACECF (MontoTotal without decimals) is accepted",
      async () => {
        const xml = readFileSync(
          resolve(officialDir('samples'), 'acecf-signed-by-dgii-emisorreceptor-E450000000001.xml'),
          'utf8',
        );
        await register('130862346', integrator, { requireAuth: false }).expect(200);
        const res = await post('/receptor/130862346/fe/aprobacioncomercial/api/ecf', xml).expect(200);
        expect(res.body).toMatchObject({ codigo: 'OK' });
      },
      ['xsd', 'samples'],
    );
  });

  describe('no attached signer, expired tokens, logs', () => {
    it('no credential, callback secret or document body is logged at info', () => {
      const logs = logLines.join('');
      expect(logs).toContain('e-CF acknowledged');
      expect(logs).not.toContain(secret);
      expect(logs).not.toContain('whsec_');
      expect(logs).not.toContain(integrator);
      expect(logs).not.toContain('RazonSocialEmisor');
      expect(logs).not.toContain('<ECF');
      expect(logs).not.toContain('SignatureValue');
    });

    it('metrics count receptions by outcome', async () => {
      const res = await http().get('/metrics').expect(200);
      expect(res.text).toMatch(
        /fiscaliacore_inbound_receptions_total\{route="recepcion",outcome="received"\} [1-9]/,
      );
      expect(res.text).toMatch(
        /fiscaliacore_inbound_receptions_total\{route="recepcion",outcome="not_received_duplicate"\} [1-9]/,
      );
      expect(res.text).toMatch(
        /fiscaliacore_inbound_receptions_total\{route="aprobacioncomercial",outcome="acecf_ok"\} [1-9]/,
      );
      expect(res.text).not.toContain(secret);
    });

    it('with the session closed the receptor answers 503 RECEPTOR_UNAVAILABLE with Retry-After', async () => {
      const token = (await authenticate()).token;
      const session = await openSession(t.app);
      await register(RECEPTOR, session).expect(200);
      await http()
        .delete('/api/v1/sessions/current')
        .set('X-Api-Key', API_KEY)
        .set('Authorization', `Bearer ${session}`)
        .expect(204);
      const res = await post(`${base()}/recepcion/api/ecf`, signedEcf('31', 30), token).expect(503);
      expect(res.body).toMatchObject({ code: 'RECEPTOR_UNAVAILABLE' });
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      expect(res.text).not.toContain('ARECF');
      // Re-attaching a live session brings it back.
      await register(RECEPTOR, integrator).expect(200);
      await post(`${base()}/recepcion/api/ecf`, signedEcf('31', 30), token).expect(200);
    });

    it('an expired receptor token → 401; a session past its end leaves no signer → 503', async () => {
      const token = (await authenticate()).token;
      t.clock.advance(3_600_000 + 1_000);
      await post(`${base()}/recepcion/api/ecf`, signedEcf('31', 31), token).expect(401);
      const fresh = (await authenticate()).token;
      await post(`${base()}/recepcion/api/ecf`, signedEcf('31', 31), fresh).expect(503);
      // A seed expires after 5 minutes.
      const seed = await http().get(`${base()}/autenticacion/api/semilla`).expect(200);
      t.clock.advance(5 * 60_000 + 1_000);
      await post(`${base()}/autenticacion/api/validacioncertificado`, signSemilla(seed.text, sender)).expect(
        400,
      );
    });
  });
});

describe('inbound receptor (e2e): rate limit by source address', () => {
  let t: TestApp;
  afterAll(() => t.close());

  it('the receptor answers 429 with Retry-After past INBOUND_RATE_LIMIT_PER_IP', async () => {
    t = await createTestApp({ env: { INBOUND_RATE_LIMIT_PER_IP: '3' } });
    const session = await openSession(t.app);
    await request(t.app.getHttpServer())
      .put(`/api/v1/inbound/receptors/${RECEPTOR}`)
      .set('X-Api-Key', API_KEY)
      .set('Authorization', `Bearer ${session}`)
      .send({ callbackUrl: 'http://127.0.0.1:9/hook' })
      .expect(200);
    const statuses: number[] = [];
    let retryAfter: string | undefined;
    for (let i = 0; i < 5; i++) {
      const res = await request(t.app.getHttpServer()).get(
        `/receptor/${RECEPTOR}/fe/autenticacion/api/semilla`,
      );
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers['retry-after'];
    }
    expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
    expect(statuses.slice(3)).toEqual([429, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });
});
