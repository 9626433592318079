import { DOMParser, Document } from '@xmldom/xmldom';

export const DEFAULT_MAX_XML_BYTES = 5 * 1024 * 1024;
export const DEFAULT_MAX_XML_DEPTH = 64;

export function stripBom(xml: string): string {
  return xml.charCodeAt(0) === 0xfeff ? xml.slice(1) : xml;
}

export interface XmlShapeLimits {
  maxBytes: number;
  maxDepth: number;
}

/**
 * Cheap structural pre-check run before any DOM parse (crypto-lab §5): size cap, no DOCTYPE or
 * other markup declaration (so no entities at all, hence no billion laughs or XXE), and an
 * element-depth cap, because @xmldom has no depth limit and takes ~0.5 s on 100,000 nested
 * elements. Returns why the input is refused, or null. It jumps between `<` with indexOf, so
 * it costs a small fraction of a parse.
 */
export function xmlShapeProblem(xml: string, limits: XmlShapeLimits): string | null {
  // UTF-8 is at most 3 bytes per UTF-16 unit, so most inputs skip the byte count.
  if (xml.length * 3 > limits.maxBytes && Buffer.byteLength(xml, 'utf8') > limits.maxBytes) {
    return `document larger than ${limits.maxBytes} bytes`;
  }
  const len = xml.length;
  let depth = 0;
  let i = 0;
  for (;;) {
    const lt = xml.indexOf('<', i);
    if (lt < 0) return null;
    const next = xml.charCodeAt(lt + 1);
    if (next === 0x2f /* / */) {
      depth--;
      const gt = xml.indexOf('>', lt);
      if (gt < 0) return 'unterminated end tag';
      i = gt + 1;
    } else if (next === 0x21 /* ! */) {
      if (xml.startsWith('<!--', lt)) {
        const end = xml.indexOf('-->', lt + 4);
        if (end < 0) return 'unterminated comment';
        i = end + 3;
      } else if (xml.startsWith('<![CDATA[', lt)) {
        const end = xml.indexOf(']]>', lt + 9);
        if (end < 0) return 'unterminated CDATA section';
        i = end + 3;
      } else {
        return 'DOCTYPE and other markup declarations are not allowed';
      }
    } else if (next === 0x3f /* ? */) {
      const end = xml.indexOf('?>', lt + 2);
      if (end < 0) return 'unterminated processing instruction';
      i = end + 2;
    } else {
      // Start tag: find its '>' outside quoted attribute values.
      let j = lt + 1;
      let quote = 0;
      for (; j < len; j++) {
        const c = xml.charCodeAt(j);
        if (quote !== 0) {
          if (c === quote) quote = 0;
        } else if (c === 0x22 || c === 0x27) {
          quote = c;
        } else if (c === 0x3e) {
          break;
        }
      }
      if (j >= len) return 'unterminated start tag';
      if (xml.charCodeAt(j - 1) !== 0x2f /* not self-closing */ && ++depth > limits.maxDepth) {
        return `element nesting deeper than ${limits.maxDepth}`;
      }
      i = j + 1;
    }
  }
}

/** XML 1.0 end-of-line handling only (§2.11): @xmldom's default also folds U+0085/U+2028/U+2029 (XML 1.1). */
function xml10LineEndings(input: string): string {
  return input.replace(/\r\n?/g, '\n');
}

/**
 * @xmldom's one warning about input it parses exactly as libxml2 does: U+FFFD is a legal XML
 * character (§2.2), the warning only guesses at an encoding problem upstream. A correctly
 * signed document that carries one must verify (issue 7 §2; xmlsec1 agrees).
 */
const ADVISORY_WARNING = /^Unicode replacement character detected/;

/**
 * Parses with @xmldom and turns every error, and every warning but the advisory one, into an
 * exception: @xmldom warns where it recovers from malformed XML, and a lenient parse (e.g. an
 * unknown entity left as literal `&x;`) would canonicalise differently from .NET/libxml2
 * (crypto-lab §5). Call xmlShapeProblem first.
 */
export function parseXmlStrict(xml: string): Document {
  const parser = new DOMParser({
    locator: false,
    normalizeLineEndings: xml10LineEndings,
    onError: (level, message) => {
      if (level === 'warning' && ADVISORY_WARNING.test(message)) return;
      throw new Error(`${level}: ${message}`);
    },
  });
  return parser.parseFromString(xml, 'application/xml');
}
