import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { isoSeconds } from '@app/common';

/** DGII's servers run on Santo Domingo time, UTC−4 all year (PROTOCOL §1.4: fechaRecepcion is local). */
const SANTO_DOMINGO_OFFSET_MS = -4 * 3_600_000;

function local(epochMs: number): Date {
  return new Date(epochMs + SANTO_DOMINGO_OFFSET_MS);
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** `fechaRecepcion` as consulta resultado writes it: "8/15/2023 6:06:57 AM" (PROTOCOL §1.4). */
export function fechaRecepcion(epochMs: number): string {
  const d = local(epochMs);
  const h = d.getUTCHours();
  const h12 = h % 12 === 0 ? 12 : h % 12;
  return (
    `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()} ` +
    `${h12}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${h < 12 ? 'AM' : 'PM'}`
  );
}

/** The seed's `fecha`: .NET round-trip format with 7 fraction digits, "2022-12-06T10:50:14.9682218-04:00". */
export function semillaFecha(epochMs: number): string {
  const d = local(epochMs);
  const fraction = pad(d.getUTCMilliseconds(), 3) + pad(randomBytes(2).readUInt16BE() % 10_000, 4);
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${fraction}-04:00`
  );
}

/** `expira` / `expedido`: UTC "universal sortable", "2022-12-11T01:58:56Z" (PROTOCOL §2.3). */
export function universalSortable(epochMs: number): string {
  return isoSeconds(epochMs);
}

/**
 * The `semilla` response as DGII's .NET serializer writes it: XML declaration, CRLF line ends,
 * indentation, both namespace declarations (PROTOCOL §2.1, samples/semilla-response-dgii.xml).
 */
export function semillaXml(valor: string, fecha: string): string {
  return (
    '<?xml version="1.0" encoding="utf-8"?>\r\n' +
    '<SemillaModel xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">\r\n' +
    `  <valor>${valor}</valor>\r\n` +
    `  <fecha>${fecha}</fecha>\r\n` +
    '</SemillaModel>'
  );
}

/** A random seed value like DGII's: 96 random bytes, base64 (128 characters). */
export function semillaValor(): string {
  return randomBytes(96).toString('base64');
}

const NAME_CLAIM = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name';

function base64Url(value: string | Buffer): string {
  return Buffer.from(value).toString('base64url');
}

/**
 * A token shaped like DGII's (PROTOCOL §2.4): HS256 JWT from `DGII.FE` for `USUARIOS.DGII.FE`
 * whose name claim is the signer's cédula, valid one hour. Signed with a key of this process.
 */
export function dgiiShapedJwt(
  secret: Buffer,
  cedula: string,
  issuedAtMs: number,
  lifetimeMs: number,
): string {
  const nbf = Math.floor(issuedAtMs / 1000);
  const header = base64Url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const payload = base64Url(
    JSON.stringify({
      [NAME_CLAIM]: cedula,
      jti: randomUUID(),
      nbf,
      exp: nbf + Math.floor(lifetimeMs / 1000),
      iss: 'DGII.FE',
      aud: 'USUARIOS.DGII.FE',
    }),
  );
  const signature = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
}
