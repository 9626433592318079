import type { CertificationCase } from '../workbook/workbook-cases';

const NOTES = new Set(['33', '34']);

/**
 * The order DGII accepts (PROTOCOL §10): every document before the notes (33, 34) that modify
 * it; the runner sends one at a time and waits for each verdict, so a note goes only after its
 * original was Aceptado (a rejection stops the run before it). Otherwise the workbook's order.
 * A note whose original is itself a note goes after that one.
 */
export function sendOrder(cases: readonly CertificationCase[]): CertificationCase[] {
  const byEncf = new Map(cases.map((c) => [c.encf, c]));
  const out: CertificationCase[] = [];
  const placed = new Set<CertificationCase>();
  const place = (c: CertificationCase, seen: Set<CertificationCase>): void => {
    if (placed.has(c) || seen.has(c)) return;
    seen.add(c);
    const original = c.kind === 'ecf' && c.modifies ? byEncf.get(c.modifies) : undefined;
    if (original) place(original, seen);
    placed.add(c);
    out.push(c);
  };
  const isNote = (c: CertificationCase): boolean => c.kind === 'ecf' && NOTES.has(c.tipo);
  for (const c of cases) if (!isNote(c)) place(c, new Set());
  for (const c of cases) if (isNote(c)) place(c, new Set());
  return out;
}
