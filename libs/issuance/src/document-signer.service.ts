import { Inject, Injectable } from '@nestjs/common';
import { Clock, santoDomingoDateTime, santoDomingoIso } from '@app/common';
import { SignedXml, signCanonicalXmlAsync, SigningIdentity } from '@app/signing';
import { buildDocumentWithFacts, DgiiJson, DocumentKind, WrittenFacts, XsdCheck } from '@app/xml-builder';

export interface SignedDocument extends SignedXml {
  kind: DocumentKind;
  /** The signing instant as DGII writes it, `dd-MM-yyyy HH:mm:ss` Santo Domingo time (PROTOCOL §3.3). */
  fechaHoraFirma: string;
  /** The same instant for our API: ISO-8601 with the Santo Domingo offset (DESIGN §4). */
  signedAt: string;
  /** What the builder wrote (e-NCF, RNCs, dates, totals), exactly as signed. */
  facts: WrittenFacts;
}

const HAS_FECHA_HORA_FIRMA = /^\d+$/;

/**
 * JSON → canonical XML → signature → schema check, in that order (DESIGN §2). The XSD check runs
 * on the signed bytes because every e-CF schema requires the Signature element; the bytes are
 * never re-serialised after signing (DESIGN §1.4).
 */
@Injectable()
export class DocumentSigner {
  constructor(
    @Inject(Clock) private readonly clock: Clock,
    @Inject(XsdCheck) private readonly xsd: XsdCheck,
  ) {}

  /** Building and checking run on the event loop; the RSA operation on libuv's pool (other cores). */
  async sign(kind: DocumentKind, json: DgiiJson, identity: SigningIdentity): Promise<SignedDocument> {
    const now = new Date(this.clock.now());
    const fechaHoraFirma = santoDomingoDateTime(now);
    // Only e-CF carry FechaHoraFirma; RFCE/ACECF/ARECF/ANECF have their own date fields (PROTOCOL §3.3).
    const unsigned = buildDocumentWithFacts(
      kind,
      json,
      HAS_FECHA_HORA_FIRMA.test(kind) ? { fechaHoraFirma } : {},
    );
    const signed = await signCanonicalXmlAsync(unsigned.xml, identity);
    this.xsd.check(kind, signed.xml);
    return { ...signed, kind, fechaHoraFirma, signedAt: santoDomingoIso(now), facts: unsigned.facts };
  }
}
