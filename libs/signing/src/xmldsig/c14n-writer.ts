import { Attr, Element, Node } from '@xmldom/xmldom';
import { escapeXmlAttribute, escapeXmlText } from './xml-text';

const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';
const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const WHITESPACE_ONLY = /^[ \t\n\r]*$/;

type NamespaceScope = ReadonlyMap<string, string>;

export interface CanonicalElement {
  /** Inclusive C14N 1.0 (no comments) of the element, as the whole-document form. */
  xml: string;
  /**
   * What an enveloped Signature's SignedInfo inherits from this element under inclusive C14N:
   * its prefixed namespace declarations and `xml:*` attributes, canonically ordered, each with a
   * leading space. (The default namespace is not listed: Signature redeclares it.)
   */
  inheritedBySignedInfo: string;
}

function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function namespacePrefix(attr: Attr): string {
  return attr.prefix === 'xmlns' ? (attr.localName ?? '') : '';
}

/**
 * Writes an element tree as inclusive C14N 1.0 without comments (W3C REC-xml-c14n §2):
 * namespace declarations that change the scope, sorted by prefix with the default first; other
 * attributes sorted by (namespace URI, local name); C14N escaping; start+end pairs for empty
 * elements. Used to sign documents we did not write ourselves (the DGII seed, PROTOCOL §2),
 * where `dropWhitespaceText` removes the pretty-printing DGII adds (PROTOCOL §3.2).
 */
export function canonicalizeElement(root: Element, dropWhitespaceText: boolean): CanonicalElement {
  const parts: string[] = [];
  const rootScope = writeElement(root, new Map(), dropWhitespaceText, parts);

  const inherited: string[] = [];
  for (const prefix of [...rootScope.keys()].sort(byCodeUnits)) {
    if (prefix !== '')
      inherited.push(` xmlns:${prefix}="${escapeXmlAttribute(rootScope.get(prefix) ?? '')}"`);
  }
  // C14N 1.0 §2.4: xml:* attributes of omitted ancestors are copied onto the subset's apex.
  const xmlAttrs = attributesOf(root).filter((a) => a.namespaceURI === XML_NS);
  for (const a of xmlAttrs.sort((x, y) => byCodeUnits(x.localName ?? '', y.localName ?? ''))) {
    inherited.push(` ${a.name}="${escapeXmlAttribute(a.value)}"`);
  }
  return { xml: parts.join(''), inheritedBySignedInfo: inherited.join('') };
}

function attributesOf(element: Element): Attr[] {
  const out: Attr[] = [];
  for (let i = 0; i < element.attributes.length; i++) {
    const a = element.attributes.item(i);
    if (a) out.push(a);
  }
  return out;
}

function writeElement(
  element: Element,
  parentScope: NamespaceScope,
  dropWs: boolean,
  out: string[],
): NamespaceScope {
  const scope = new Map(parentScope);
  const nsDecls: [string, string][] = [];
  const attrs: Attr[] = [];
  for (const a of attributesOf(element)) {
    if (a.namespaceURI !== XMLNS_NS) {
      attrs.push(a);
      continue;
    }
    const prefix = namespacePrefix(a);
    if (prefix === 'xml') continue;
    const inherited = parentScope.get(prefix) ?? '';
    scope.set(prefix, a.value);
    // §2.3: a declaration is output only where it changes what the output parent has in scope.
    if (a.value !== inherited) nsDecls.push([prefix, a.value]);
  }
  nsDecls.sort((x, y) => byCodeUnits(x[0], y[0]));
  attrs.sort(
    (x, y) =>
      byCodeUnits(x.namespaceURI ?? '', y.namespaceURI ?? '') ||
      byCodeUnits(x.localName ?? '', y.localName ?? ''),
  );

  out.push('<', element.tagName);
  for (const [prefix, uri] of nsDecls) {
    out.push(prefix === '' ? ' xmlns="' : ` xmlns:${prefix}="`, escapeXmlAttribute(uri), '"');
  }
  for (const a of attrs) out.push(' ', a.name, '="', escapeXmlAttribute(a.value), '"');
  out.push('>');

  for (let child: Node | null = element.firstChild; child; child = child.nextSibling) {
    switch (child.nodeType) {
      case child.ELEMENT_NODE:
        writeElement(child as Element, scope, dropWs, out);
        break;
      case child.TEXT_NODE:
      case child.CDATA_SECTION_NODE: {
        const data = child.nodeValue ?? '';
        if (!(dropWs && child.nodeType === child.TEXT_NODE && WHITESPACE_ONLY.test(data))) {
          out.push(escapeXmlText(data));
        }
        break;
      }
      case child.PROCESSING_INSTRUCTION_NODE: {
        const data = child.nodeValue ?? '';
        out.push('<?', child.nodeName, data ? ` ${data}` : '', '?>');
        break;
      }
      default:
        // Comments are dropped (C14N without comments); entity references cannot occur
        // because parseXmlStrict makes unknown entities fatal and DOCTYPE is refused.
        break;
    }
  }
  out.push('</', element.tagName, '>');
  return scope;
}
