const TEXT_SPECIALS = /[&<>\r]/;
const TEXT_SPECIALS_G = /[&<>\r]/g;
const TEXT_ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '\r': '&#xD;',
};

/**
 * Escapes character data exactly as inclusive C14N 1.0 writes text nodes (`&`, `<`, `>`, CR),
 * so a document built with it is already canonical and its digest is the SHA-256 of its bytes
 * (crypto-lab §2.4). `"` and `'` stay literal: C14N does not escape them in text.
 */
export function escapeXmlText(text: string): string {
  // Most values need no escaping; testing first avoids allocating a new string.
  return TEXT_SPECIALS.test(text) ? text.replace(TEXT_SPECIALS_G, (c) => TEXT_ENTITIES[c]) : text;
}

const ATTR_SPECIALS_G = /[&<"\t\n\r]/g;
const ATTR_ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '"': '&quot;',
  '\t': '&#x9;',
  '\n': '&#xA;',
  '\r': '&#xD;',
};

/** C14N 1.0 attribute-value escaping (only needed for documents we re-canonicalise, e.g. the seed). */
export function escapeXmlAttribute(value: string): string {
  return value.replace(ATTR_SPECIALS_G, (c) => ATTR_ENTITIES[c]);
}
