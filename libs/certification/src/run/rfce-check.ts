import { XmlBuildFailedError, type ErrorDetail } from '@app/common';
import { decimalKey, type DgiiJson } from '@app/xml-builder';

/** Every leaf of a DGII-shape JSON document as `path → text` (arrays indexed, empty values left out). */
function leaves(value: unknown, path: string, out: Map<string, string>): Map<string, string> {
  if (Array.isArray(value)) value.forEach((v, i) => leaves(v, `${path}[${i}]`, out));
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) leaves(v, path ? `${path}.${k}` : k, out);
  else if (value !== undefined && value !== null && value !== '') out.set(path, String(value));
  return out;
}

const same = (a: string, b: string): boolean =>
  a === b || (decimalKey(a) !== undefined && decimalKey(a) === decimalKey(b));

/**
 * The RFCE summary we would send must be DGII's `RFCE` sheet row for the case, leaf for leaf
 * (PROTOCOL §10: "exactly as written"); only the security code is ours to add. A difference is a
 * local failure, so it is found before anything is sent.
 *
 * @throws XmlBuildFailedError naming every element that differs, is missing or is extra.
 */
export function checkRfceAgainstSheet(rfce: DgiiJson, expected: DgiiJson, encf: string): void {
  const ours = leaves(rfce, '', new Map());
  ours.delete('Encabezado.CodigoSeguridadeCF');
  const theirs = leaves(expected, '', new Map());
  const details: ErrorDetail[] = [];
  for (const [path, value] of theirs) {
    const mine = ours.get(path);
    if (mine === undefined)
      details.push({ path: `rfce.${path}`, message: `missing: the RFCE sheet has ${value}` });
    else if (!same(mine, value))
      details.push({ path: `rfce.${path}`, message: `${mine} differs from the RFCE sheet's ${value}` });
  }
  for (const [path, value] of ours)
    if (!theirs.has(path))
      details.push({ path: `rfce.${path}`, message: `${value} is not in the RFCE sheet's row` });
  if (details.length)
    throw new XmlBuildFailedError(`the RFCE of ${encf} differs from the workbook's RFCE sheet`, details);
}
