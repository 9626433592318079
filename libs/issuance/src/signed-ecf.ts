import { XMLParser } from 'fast-xml-parser';
import {
  BadRequestError,
  SignatureInvalidError,
  SignerMismatchError,
  santoDomingoIso,
  XmlBuildFailedError,
} from '@app/common';
import { readDocument } from '@app/dgii-protocol';
import { securityCodeOf, SigningIdentity, verifyXmlSignature } from '@app/signing';
import { DgiiJson, ECF_TYPES, EcfType, WrittenFacts, XsdCheck } from '@app/xml-builder';
import type { X509Certificate } from 'node:crypto';

/** An e-CF signed earlier (offline, contingency, a dry run), verified and read (issue 11 §2). */
export interface VerifiedSignedEcf {
  type: EcfType;
  /** The bytes exactly as given: never re-serialised (DESIGN §1.4). */
  xml: string;
  securityCode: string;
  /** FechaHoraFirma as written in the document (PROTOCOL §3.3). */
  fechaHoraFirma: string;
  signedAt: string;
  facts: WrittenFacts;
  /** The document in DGII's JSON shape, without Signature and FechaHoraFirma (for the RFCE summary). */
  json: DgiiJson;
}

// Values stay text exactly as written (amounts are never re-read as floats, PROTOCOL §4.2).
// readDocument has refused any DOCTYPE, so only the predefined entities can be expanded here.
const parser = new XMLParser({
  ignoreAttributes: true,
  processEntities: true,
  htmlEntities: false,
  parseTagValue: false,
  trimValues: true,
});

type Node = Record<string, unknown>;
const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (node: unknown, ...path: string[]): string | undefined => {
  let current = node;
  for (const name of path) current = isNode(current) ? current[name] : undefined;
  return typeof current === 'string' && current !== '' ? current : undefined;
};

/** `dd-MM-yyyy HH:mm:ss` (Santo Domingo) → ISO with the -04:00 offset; '' when not that shape. */
function signedAtOf(fechaHoraFirma: string): string {
  const m = /^(\d{2})-(\d{2})-(\d{4}) (\d{2}):(\d{2}):(\d{2})$/.exec(fechaHoraFirma);
  if (!m) return '';
  const utc = Date.UTC(+m[3], +m[2] - 1, +m[1], +m[4] + 4, +m[5], +m[6]);
  return santoDomingoIso(new Date(utc));
}

/** What names a certificate to a person: its serial number and subject (issue 11 §2). */
function describe(certificate: X509Certificate): string {
  return `serial ${certificate.serialNumber.toLowerCase()} (${certificate.subject.replace(/\n/g, ', ')})`;
}

/**
 * Checks a document signed earlier before anything is sent: an e-CF root of a known type,
 * a signature that verifies (PROTOCOL §3.1 profile), the official XSD when configured, and a
 * signer that is the session's own certificate (the seed and the document must be signed by
 * the same delegate, PROTOCOL §2, §1.6). Reads the facts from the bytes as given.
 */
export async function verifySignedEcf(
  signedXml: string,
  identity: SigningIdentity,
  xsd: XsdCheck,
): Promise<VerifiedSignedEcf> {
  const read = readDocument(signedXml);
  if ('problem' in read) {
    throw new BadRequestError(`signedXml cannot be read: ${read.problem}`, [
      { path: 'signedXml', message: read.problem },
    ]);
  }
  const type = ECF_TYPES.find((t) => read.facts.root === 'ECF' && t === read.facts.tipoeCF);
  if (!type) {
    throw new BadRequestError('signedXml is not an e-CF (root ECF with a known TipoeCF)', [
      { path: 'signedXml', message: `root ${read.facts.root}, TipoeCF ${read.facts.tipoeCF ?? 'missing'}` },
    ]);
  }
  const verified = await verifyXmlSignature(signedXml);
  if (!verified.valid) {
    throw new SignatureInvalidError(`the signature of the document does not verify: ${verified.reason}`, [
      { path: 'signedXml', message: verified.reason },
    ]);
  }
  if (!verified.certificate.raw.equals(identity.certificate.raw)) {
    const signer = describe(verified.certificate);
    const session = describe(identity.certificate);
    throw new SignerMismatchError(
      `the document is signed by ${signer}, not by this session’s certificate, ${session}`,
      [{ path: 'signedXml', message: `signer ${signer}` }, { message: `session ${session}` }],
    );
  }
  try {
    xsd.check(type, signedXml);
  } catch (error) {
    // Someone else's bytes: a bad document is the caller's input, named as such.
    if (error instanceof XmlBuildFailedError) {
      throw new XmlBuildFailedError(error.message.replace('the signed', 'the submitted'), error.details);
    }
    throw error;
  }
  const parsed = parser.parse(signedXml.replace(/^\uFEFF/, '')) as Node;
  const root = isNode(parsed.ECF) ? parsed.ECF : {};
  const { Signature: _signature, FechaHoraFirma: fechaHoraFirma, ...json } = root;
  const encabezado = json.Encabezado;
  const fecha = typeof fechaHoraFirma === 'string' ? fechaHoraFirma : '';
  const facts: WrittenFacts = {
    TipoeCF: type,
    eNCF: text(encabezado, 'IdDoc', 'eNCF'),
    RNCEmisor: text(encabezado, 'Emisor', 'RNCEmisor'),
    RNCComprador: text(encabezado, 'Comprador', 'RNCComprador'),
    FechaEmision: text(encabezado, 'Emisor', 'FechaEmision'),
    MontoTotal: text(encabezado, 'Totales', 'MontoTotal'),
    FechaHoraFirma: fecha,
  };
  return {
    type,
    xml: signedXml,
    securityCode: securityCodeOf(verified.signatureValue),
    fechaHoraFirma: fecha,
    signedAt: signedAtOf(fecha),
    facts,
    json: json as DgiiJson,
  };
}
