import { rncFormat } from './ecf-common.rules';
import { entries, get, isAbsent, violation } from './rule-helpers';
import type { BusinessRule, RuleContext, Violation } from './rule.types';
import type { RulesModule } from './rule.types';

function blocks(ctx: RuleContext): { value: Readonly<Record<string, unknown>>; path: string }[] {
  return entries(get(ctx.doc, 'DetalleAnulacion'), 'Anulacion').map((e) => ({
    value: e.value,
    path: `DetalleAnulacion.${e.segment}`,
  }));
}

function ranges(
  block: Readonly<Record<string, unknown>>,
  path: string,
): { desde: unknown; hasta: unknown; path: string }[] {
  return entries(block.TablaRangoSecuenciasAnuladaseNCF, 'Secuencias').map((e) => ({
    desde: e.value.SecuenciaeNCFDesde,
    hasta: e.value.SecuenciaeNCFHasta,
    path: `${path}.TablaRangoSecuenciasAnuladaseNCF.${e.segment}`,
  }));
}

const sequenceOf = (encf: string): number => Number(encf.slice(3));

// PROTOCOL §7.2: NoLinea 1, 2, … over the Anulacion blocks.
export const anecfNoLinea: BusinessRule = {
  id: 'anecf-no-linea',
  section: 'PROTOCOL §7.2',
  description: 'ANECF Anulacion/NoLinea runs 1, 2, 3… in order',
  check: (ctx) =>
    blocks(ctx).flatMap((b, i) => {
      const n = Array.isArray(b.value.NoLinea) ? b.value.NoLinea[0] : b.value.NoLinea;
      return isAbsent(n) || Number(n) === i + 1
        ? []
        : [violation(ctx, `${b.path}.NoLinea`, 'anecf-no-linea', `must be ${i + 1}`)];
    }),
};

// PROTOCOL §7.2: 13-character e-NCFs of the block's type and one series, Desde ≤ Hasta.
export const anecfRangos: BusinessRule = {
  id: 'anecf-rangos',
  section: 'PROTOCOL §7.2',
  description:
    'ANECF ranges: e-NCFs of the block TipoeCF, same series, SecuenciaeNCFDesde ≤ SecuenciaeNCFHasta',
  check: (ctx) =>
    blocks(ctx).flatMap((b) =>
      ranges(b.value, b.path).flatMap((r): Violation[] => {
        const tipo = String(b.value.TipoeCF ?? '');
        const out: Violation[] = [];
        for (const [name, v] of [
          ['SecuenciaeNCFDesde', r.desde],
          ['SecuenciaeNCFHasta', r.hasta],
        ] as const) {
          if (typeof v === 'string' && !(/^[E-Z]\d{12}$/.test(v) && v.slice(1, 3) === tipo)) {
            out.push(
              violation(
                ctx,
                `${r.path}.${name}`,
                'anecf-rangos',
                `must be a 13-character e-NCF of type ${tipo}`,
              ),
            );
          }
        }
        if (out.length === 0 && typeof r.desde === 'string' && typeof r.hasta === 'string') {
          if (r.desde[0] !== r.hasta[0])
            out.push(
              violation(
                ctx,
                `${r.path}.SecuenciaeNCFHasta`,
                'anecf-rangos',
                'must be of the same series as SecuenciaeNCFDesde',
              ),
            );
          else if (sequenceOf(r.desde) > sequenceOf(r.hasta)) {
            out.push(
              violation(
                ctx,
                `${r.path}.SecuenciaeNCFHasta`,
                'anecf-rangos',
                'must not be below SecuenciaeNCFDesde',
              ),
            );
          }
        }
        return out;
      }),
    ),
};

// PROTOCOL §7.2: each block counts its inclusive ranges; the header counts all blocks.
export const anecfCantidades: BusinessRule = {
  id: 'anecf-cantidades',
  section: 'PROTOCOL §7.2',
  description:
    'ANECF CantidadeNCFAnulados = size of the inclusive ranges per block, and their sum in Encabezado',
  check: (ctx) => {
    const out: Violation[] = [];
    let total = 0;
    for (const b of blocks(ctx)) {
      const count = ranges(b.value, b.path).reduce(
        (s, r) =>
          typeof r.desde === 'string' && typeof r.hasta === 'string'
            ? s + sequenceOf(r.hasta) - sequenceOf(r.desde) + 1
            : s,
        0,
      );
      total += count;
      if (!isAbsent(b.value.CantidadeNCFAnulados) && Number(b.value.CantidadeNCFAnulados) !== count) {
        out.push(violation(ctx, `${b.path}.CantidadeNCFAnulados`, 'anecf-cantidades', `must be ${count}`));
      }
    }
    const header = get(ctx.doc, 'Encabezado.CantidadeNCFAnulados');
    if (!isAbsent(header) && Number(header) !== total) {
      out.push(violation(ctx, 'Encabezado.CantidadeNCFAnulados', 'anecf-cantidades', `must be ${total}`));
    }
    return out;
  },
};

export const ANECF_RULES: RulesModule = {
  kind: 'ANECF',
  rules: [rncFormat, anecfNoLinea, anecfRangos, anecfCantidades],
};
