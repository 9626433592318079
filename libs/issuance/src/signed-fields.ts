/**
 * Reads a value from a document we wrote ourselves: canonical, no attributes, no CDATA, so the
 * first `<Name>…</Name>` is the element and its text is already escaped C14N text. Used for the
 * few facts (e-NCF, totals, dates) the response and QR need, exactly as they were signed.
 */
export function firstElementText(xml: string, name: string): string | undefined {
  const open = `<${name}>`;
  const start = xml.indexOf(open);
  if (start < 0) return undefined;
  const end = xml.indexOf(`</${name}>`, start);
  if (end < 0) return undefined;
  return xml
    .slice(start + open.length, end)
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&#xD;/g, '\r')
    .replace(/&amp;/g, '&');
}
