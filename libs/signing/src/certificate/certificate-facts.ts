import 'reflect-metadata';
import { X509Certificate as PeculiarCertificate } from '@peculiar/x509';
import type { X509Certificate } from 'node:crypto';

/** Labels as the integration guide prints them (Java X500Principal style); others keep their OID. */
const LABELS: Readonly<Record<string, string>> = {
  '2.5.4.5': 'SERIALNUMBER',
  G: 'GIVENNAME',
  SN: 'SURNAME',
  E: 'EMAILADDRESS',
};

export interface CertificateFacts {
  /** Holder's cédula from the subject serialNumber, without DGII's `IDCDO-` prefix (PROTOCOL §2.4). */
  signerCedula: string;
  /** RFC 4514 order (most specific first), e.g. `CN=ALEX RODRIGUEZ,SERIALNUMBER=40209547971,O=…,C=DO`. */
  subjectDn: string;
  notBefore: number;
  notAfter: number;
}

function escapeDnValue(value: string): string {
  return value
    .replace(/([,+"\\<>;=])/g, '\\$1')
    .replace(/^([ #])/, '\\$1')
    .replace(/ $/, '\\ ');
}

export function certificateFacts(certificate: X509Certificate): CertificateFacts {
  const parsed = new PeculiarCertificate(certificate.raw);
  const rdns = parsed.subjectName.toJSON();
  let serialNumber = '';
  const parts: string[] = [];
  for (const rdn of rdns) {
    const attributes: string[] = [];
    for (const [type, values] of Object.entries(rdn)) {
      for (const value of values) {
        if (type === '2.5.4.5' && !serialNumber) serialNumber = value;
        attributes.push(`${LABELS[type] ?? type}=${escapeDnValue(value)}`);
      }
    }
    parts.push(attributes.join('+'));
  }
  return {
    signerCedula: serialNumber.replace(/^IDCDO-?/i, ''),
    subjectDn: parts.reverse().join(','),
    notBefore: Date.parse(certificate.validFrom),
    notAfter: Date.parse(certificate.validTo),
  };
}
