/**
 * Minimal, strict navigation over an `asn1js` parse tree. Every accessor checks the tag it expects and
 * throws {@link AsnShapeError} otherwise, so the PKCS#12 reader can turn any structural surprise into
 * one MALFORMED answer instead of a TypeError deep inside a crypto step.
 */
import * as asn1js from 'asn1js';

export class AsnShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AsnShapeError';
  }
}

export type AsnNode = asn1js.AsnType;

const UNIVERSAL = 1;
const CONTEXT = 3;
const TAG_INTEGER = 2;
const TAG_OCTET_STRING = 4;
const TAG_OID = 6;
const TAG_SEQUENCE = 16;
const TAG_SET = 17;

/** Nesting limit for constructed (chunked) OCTET STRINGs; real BER writers use one level. */
const MAX_OCTET_NESTING = 4;

/**
 * Parses one complete BER/DER element; the element must span the whole input (no trailing bytes).
 * `parseEmbedded: false` stops asn1js from speculatively decoding every OCTET STRING payload, which
 * would double the work and touch ciphertext for nothing.
 */
export function parseAsn1(bytes: Uint8Array, what: string, copyInput = true): AsnNode {
  if (bytes.length === 0) throw new AsnShapeError(`${what}: empty`);
  const { offset, result } = asn1js.fromBER(bytes, { parseEmbedded: false, copyInput });
  if (offset === -1 || result.error) throw new AsnShapeError(`${what}: ${result.error || 'undecodable BER'}`);
  if (offset !== bytes.length) {
    throw new AsnShapeError(`${what}: ${bytes.length - offset} trailing byte(s) after the ASN.1 element`);
  }
  return result;
}

function isTag(node: AsnNode, tagClass: number, tagNumber: number): boolean {
  return node.idBlock.tagClass === tagClass && node.idBlock.tagNumber === tagNumber;
}

function children(node: AsnNode): AsnNode[] {
  if (!node.idBlock.isConstructed) return [];
  const value = (node.valueBlock as { value?: unknown }).value;
  return Array.isArray(value) ? (value as AsnNode[]) : [];
}

function primitiveBytes(node: AsnNode, what: string): Uint8Array {
  const view = (node.valueBlock as { valueHexView?: unknown }).valueHexView;
  if (!(view instanceof Uint8Array)) throw new AsnShapeError(`${what}: no primitive value`);
  return view;
}

/** SEQUENCE with between `min` and `max` elements. */
export function seq(node: AsnNode | undefined, what: string, min = 0, max = Infinity): AsnNode[] {
  if (!node || !isTag(node, UNIVERSAL, TAG_SEQUENCE) || !node.idBlock.isConstructed) {
    throw new AsnShapeError(`${what}: expected SEQUENCE`);
  }
  const items = children(node);
  if (items.length < min || items.length > max) throw new AsnShapeError(`${what}: unexpected element count`);
  return items;
}

export function isSet(node: AsnNode | undefined): boolean {
  return !!node && isTag(node, UNIVERSAL, TAG_SET) && node.idBlock.isConstructed;
}

export function oid(node: AsnNode | undefined, what: string): string {
  if (!node || !isTag(node, UNIVERSAL, TAG_OID) || !(node instanceof asn1js.ObjectIdentifier)) {
    throw new AsnShapeError(`${what}: expected OBJECT IDENTIFIER`);
  }
  return node.getValue();
}

/**
 * Non-negative INTEGER as a JS number; values beyond 2^48 come back as `Infinity` (asn1js would
 * silently decode them as 0, which must never reach an iteration-count check), negatives as -1.
 */
export function smallUint(node: AsnNode | undefined, what: string): number {
  if (!node || !isTag(node, UNIVERSAL, TAG_INTEGER) || node.idBlock.isConstructed) {
    throw new AsnShapeError(`${what}: expected INTEGER`);
  }
  const bytes = primitiveBytes(node, what);
  if (bytes.length === 0) throw new AsnShapeError(`${what}: empty INTEGER`);
  if (bytes[0] & 0x80) return -1;
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  if (bytes.length - i > 6) return Infinity;
  let n = 0;
  for (; i < bytes.length; i++) n = n * 256 + bytes[i];
  return n;
}

/** Concatenates a possibly constructed (BER-chunked, X.690 §8.7.3) string into one buffer. */
function stringValue(node: AsnNode, what: string, depth: number): Buffer {
  if (!node.idBlock.isConstructed) return Buffer.from(primitiveBytes(node, what));
  if (depth >= MAX_OCTET_NESTING) throw new AsnShapeError(`${what}: OCTET STRING nested too deeply`);
  const parts = children(node).map((child) => {
    if (!isTag(child, UNIVERSAL, TAG_OCTET_STRING)) {
      throw new AsnShapeError(`${what}: bad OCTET STRING chunk`);
    }
    return stringValue(child, what, depth + 1);
  });
  return Buffer.concat(parts);
}

/** OCTET STRING value (primitive or constructed) as a fresh Buffer the caller owns. */
export function octets(node: AsnNode | undefined, what: string): Buffer {
  if (!node || !isTag(node, UNIVERSAL, TAG_OCTET_STRING)) {
    throw new AsnShapeError(`${what}: expected OCTET STRING`);
  }
  return stringValue(node, what, 0);
}

/** `[n] IMPLICIT OCTET STRING`, e.g. EncryptedContentInfo.encryptedContent (RFC 5652 §6.1). */
export function implicitOctets(node: AsnNode | undefined, tagNumber: number, what: string): Buffer {
  if (!node || !isTag(node, CONTEXT, tagNumber)) throw new AsnShapeError(`${what}: expected [${tagNumber}]`);
  return stringValue(node, what, 0);
}

/** The single element inside `[n] EXPLICIT`. */
export function explicit(node: AsnNode | undefined, tagNumber: number, what: string): AsnNode {
  if (!node || !isTag(node, CONTEXT, tagNumber) || !node.idBlock.isConstructed) {
    throw new AsnShapeError(`${what}: expected [${tagNumber}] EXPLICIT`);
  }
  const inner = children(node);
  if (inner.length !== 1) throw new AsnShapeError(`${what}: [${tagNumber}] must hold exactly one element`);
  return inner[0];
}

/** AlgorithmIdentifier (RFC 5280 §4.1.1.2): OID plus optional parameters. */
export interface AlgorithmId {
  oid: string;
  params?: AsnNode;
}

export function algorithmId(node: AsnNode | undefined, what: string): AlgorithmId {
  const [id, params] = seq(node, what, 1, 2);
  return { oid: oid(id, `${what}.algorithm`), params };
}

/** Raw encoding of a node as it appeared in the input (a view, not a copy). */
export function encodingOf(node: AsnNode): Uint8Array {
  return node.valueBeforeDecodeView;
}
