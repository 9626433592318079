import 'reflect-metadata';
import { Inject, Injectable } from '@nestjs/common';
import * as x509 from '@peculiar/x509';
import { webcrypto, X509Certificate } from 'node:crypto';
import { Clock } from '@app/common';
import { DgiiAuthenticator, readDocument } from '@app/dgii-protocol';
import { signCanonicalXmlAsync, SigningIdentity, signingIdentityOf, verifyXmlSignature } from '@app/signing';
import { arecfFromRequest, buildDocument, DocumentKind } from '@app/xml-builder';
import { SandboxCall } from './sandbox-call.decorator';
import { SandboxFaults, SandboxStats } from './sandbox-faults';
import { SandboxReply } from './sandbox.reply';
import { SandboxSchemas } from './sandbox-schemas';

/** PROTOCOL §8.2: the types taxpayers send each other. */
const RECEIVABLE: ReadonlySet<string> = new Set(['31', '33', '34', '44']);

/** Receptions remembered for the duplicate rule (motive 3); the oldest go first. */
const MAX_RECEIVED = 50_000;

/** PROTOCOL §7.1 CodigoMotivoNoRecibido. */
const MOTIVO = { especificacion: 1, firma: 2, duplicado: 3, rncComprador: 4 } as const;

const RSA: RsaHashedKeyGenParams = {
  name: 'RSASSA-PKCS1-v1_5',
  hash: 'SHA-256',
  publicExponent: new Uint8Array([1, 0, 1]),
  modulusLength: 2048,
};

/**
 * A self-signed certificate made at boot for the built-in receptor: the sandbox signs its ARECFs
 * with its own identity, never with a test fixture or a caller's key. Subject serialNumber is a
 * cédula-shaped value so DGII-side readers find a signer.
 */
async function generatedIdentity(now: number): Promise<SigningIdentity> {
  x509.cryptoProvider.set(webcrypto as unknown as Crypto);
  const keys = (await webcrypto.subtle.generateKey(RSA, false, ['sign', 'verify'])) as CryptoKeyPair;
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: Buffer.from(webcrypto.getRandomValues(new Uint8Array(8)))
      .toString('hex')
      .replace(/^0*/, '1'),
    name: 'CN=DGII SANDBOX RECEPTOR, 2.5.4.5=00000000000, O=fiscaliacore sandbox, C=DO',
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + 365 * 24 * 3_600_000),
    keys,
    signingAlgorithm: RSA,
    extensions: [
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation),
    ],
  });
  return signingIdentityOf({
    privateKey: keys.privateKey as unknown as webcrypto.CryptoKey,
    certificate: new X509Certificate(Buffer.from(certificate.rawData)),
    keyType: 'rsa',
  });
}

/**
 * The sandbox's built-in buyer receptor (PROTOCOL §8), one per RNC under
 * `/dgii-sandbox/receptor/{rnc}`: the authentication handshake of §8.1 (same as DGII's, scoped by
 * RNC), `recepcion` answering a signed ARECF decided by §8.2's rules in order, and
 * `aprobacioncomercial` answering 200/400 (§8.3). So an issuer's delivery runs end to end on
 * `npm start`. Faults injected on its paths apply as on DGII's.
 */
@Injectable()
export class SandboxReceptor {
  /** Made on the first ARECF, not at boot: most sandbox runs never answer one (RSA key generation). */
  private identity?: Promise<SigningIdentity>;
  private readonly authenticator: DgiiAuthenticator;
  /** `{receptor rnc}|{RNCEmisor}|{eNCF}` already received (motive 3). */
  private readonly received = new Set<string>();

  constructor(
    @Inject(Clock) private readonly clock: Clock,
    private readonly schemas: SandboxSchemas,
    private readonly faults: SandboxFaults,
    private readonly stats: SandboxStats,
  ) {
    this.authenticator = new DgiiAuthenticator(clock);
  }

  semilla(rnc: string, call: SandboxCall): SandboxReply {
    const fault = this.fault(call);
    if (fault) return fault;
    return SandboxReply.xml(200, this.authenticator.issueSeed(rnc));
  }

  async validacionCertificado(rnc: string, call: SandboxCall): Promise<SandboxReply> {
    const fault = this.fault(call);
    if (fault) return fault;
    const upload = xmlPart(call);
    if (upload instanceof SandboxReply) return upload;
    const problems = this.schemas.problems('Semilla', upload);
    if (problems.length > 0)
      return SandboxReply.text(400, `El XML de la semilla no es válido: ${problems[0]}`);
    const result = await this.authenticator.checkSignedSeed(rnc, upload);
    if (!result.ok) return SandboxReply.text(400, result.reason);
    return SandboxReply.json(200, { token: result.token, expira: result.expira, expedido: result.expedido });
  }

  /** PROTOCOL §8.2: every parsable e-CF gets HTTP 200 and a signed ARECF; 4xx only for bad requests or auth. */
  async recepcion(rnc: string, call: SandboxCall): Promise<SandboxReply> {
    const fault = this.fault(call);
    if (fault) return fault;
    if (!this.authenticator.authorized(rnc, call.authorization)) return SandboxReply.unauthorized();
    const xml = xmlPart(call);
    if (xml instanceof SandboxReply) return xml;
    const read = readDocument(xml);
    if ('problem' in read) return SandboxReply.text(400, read.problem);
    const { facts } = read;
    if (!facts.rncEmisor || !facts.encf) {
      return SandboxReply.text(400, 'El e-CF no tiene RNCEmisor o eNCF: no se puede acusar recibo.');
    }
    const motivo = await this.motivoNoRecibido(
      rnc,
      xml,
      facts.root,
      facts.tipoeCF,
      facts.rncEmisor,
      facts.encf,
      facts.rncComprador,
    );
    return SandboxReply.xml(
      200,
      await this.signedArecf({
        rncEmisor: facts.rncEmisor,
        rncComprador: rnc,
        eNCF: facts.encf,
        estado: motivo === undefined ? 0 : 1,
        codigoMotivoNoRecibido: motivo,
      }),
    );
  }

  /** PROTOCOL §8.3: 200 satisfactory, 400 not (XSD, signature). */
  async aprobacionComercial(rnc: string, call: SandboxCall): Promise<SandboxReply> {
    const fault = this.fault(call);
    if (fault) return fault;
    if (!this.authenticator.authorized(rnc, call.authorization)) return SandboxReply.unauthorized();
    const xml = xmlPart(call);
    if (xml instanceof SandboxReply) return xml;
    const problems = this.schemas.problems('ACECF', xml);
    const signature = problems.length === 0 ? await verifyXmlSignature(xml) : undefined;
    const mensaje =
      problems.length > 0 ? [problems[0]] : signature?.valid ? [] : ['La firma del XML no es válida.'];
    if (mensaje.length > 0) return SandboxReply.json(400, { codigo: 'Error', estado: 'Rechazado', mensaje });
    return SandboxReply.json(200, { codigo: 'OK', estado: 'Recibido', mensaje: [] });
  }

  /** §8.2's order: format → signature → duplicate → RNCComprador; undefined = received. */
  private async motivoNoRecibido(
    rnc: string,
    xml: string,
    root: string,
    tipoeCF: string | undefined,
    rncEmisor: string,
    encf: string,
    rncComprador: string | undefined,
  ): Promise<number | undefined> {
    if (root !== 'ECF' || !tipoeCF || !RECEIVABLE.has(tipoeCF)) return MOTIVO.especificacion;
    if (this.schemas.problems(tipoeCF as DocumentKind, xml).length > 0) return MOTIVO.especificacion;
    if (!(await verifyXmlSignature(xml)).valid) return MOTIVO.firma;
    const key = `${rnc}|${rncEmisor}|${encf}`;
    if (this.received.has(key)) return MOTIVO.duplicado;
    if (rncComprador !== rnc) return MOTIVO.rncComprador;
    this.received.add(key);
    if (this.received.size > MAX_RECEIVED) {
      const oldest = this.received.values().next().value;
      if (oldest !== undefined) this.received.delete(oldest);
    }
    return undefined;
  }

  private async signedArecf(request: Parameters<typeof arecfFromRequest>[0]): Promise<string> {
    this.identity ??= generatedIdentity(this.clock.now()).catch((error: unknown) => {
      this.identity = undefined;
      throw error;
    });
    const unsigned = buildDocument('ARECF', arecfFromRequest(request, new Date(this.clock.now())));
    return (await signCanonicalXmlAsync(unsigned, await this.identity)).xml;
  }

  private fault(call: SandboxCall): SandboxReply | undefined {
    this.stats.count('receptor');
    const fault = this.faults.take(call.path);
    if (fault === '500' || fault === '500-after-receiving') return SandboxReply.serverError();
    if (fault === '401') return SandboxReply.unauthorized();
    if (fault === 'timeout' || fault === 'timeout-after-receiving') return SandboxReply.held();
    return undefined;
  }
}

function xmlPart(call: SandboxCall): string | SandboxReply {
  if (typeof call.upload === 'string') return SandboxReply.text(400, call.upload);
  const part = call.upload?.find((p) => p.name === 'xml');
  if (!part || part.data.length === 0) return SandboxReply.problem('xml', 'The xml field is required.');
  return part.data.toString('utf8');
}
