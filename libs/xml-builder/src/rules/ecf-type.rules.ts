import { get, isAbsent, items, num, violation } from './rule-helpers';
import type { BusinessRule, Violation } from './rule.types';

/** Rules that only some e-CF types use; the type modules pick them. */

// PROTOCOL §4.4 (Items) and §4.5: lines of 43, 44 and 47 are exento (4); lines of 46 are ITBIS 0% (3).
export function indicadorFacturacionIs(expected: number): BusinessRule {
  return {
    id: 'indicador-facturacion-tipo',
    section: 'PROTOCOL §4.4, §4.5',
    description: 'IndicadorFacturacion of every line is 4 in e-CF 43/44/47 and 3 in e-CF 46',
    check: (ctx) =>
      items(ctx).flatMap((item) => {
        const ind = item.value.IndicadorFacturacion;
        return isAbsent(ind) || Number(ind) === expected
          ? []
          : [
              violation(
                ctx,
                `${item.path}.IndicadorFacturacion`,
                'indicador-facturacion-tipo',
                `must be ${expected} in e-CF ${ctx.kind}`,
              ),
            ];
      }),
  };
}

// PROTOCOL §4.4 (Items: "47 → 2") and §4.5 (47 pays for services).
export const servicioEn47: BusinessRule = {
  id: 'bien-o-servicio-47',
  section: 'PROTOCOL §4.4, §4.5',
  description: 'IndicadorBienoServicio is 2 (servicio) on every line of an e-CF 47',
  check: (ctx) =>
    items(ctx).flatMap((item) => {
      const v = item.value.IndicadorBienoServicio;
      return isAbsent(v) || Number(v) === 2
        ? []
        : [
            violation(
              ctx,
              `${item.path}.IndicadorBienoServicio`,
              'bien-o-servicio-47',
              'must be 2 (servicio) in e-CF 47',
            ),
          ];
    }),
};

// PROTOCOL §4.4 (Items, field note): an e-CF 41 line withholding as agent (indicator 1) also needed MontoITBISRetenido.
export const retencionItbis41: BusinessRule = {
  id: 'retencion-41-itbis',
  section: 'PROTOCOL §4.4',
  description: 'e-CF 41 lines with IndicadorAgenteRetencionoPercepcion 1 carry MontoITBISRetenido',
  check: (ctx) =>
    items(ctx).flatMap((item): Violation[] =>
      Number(get(item.value, 'Retencion.IndicadorAgenteRetencionoPercepcion')) === 1 &&
      isAbsent(get(item.value, 'Retencion.MontoITBISRetenido'))
        ? [
            violation(
              ctx,
              `${item.path}.Retencion.MontoITBISRetenido`,
              'retencion-41-itbis',
              'is required when withholding (indicator 1) in e-CF 41',
            ),
          ]
        : [],
    ),
};

// PROTOCOL §4.4 (Items): a credit note that only corrects text (CodigoModificacion 2) has MontoItem 0
// on its billable lines. A non-billable line (IndicadorFacturacion 0) counts in MontoNoFacturable,
// not in MontoTotal, so it may carry an amount: DGII's own Paso 2 set has one with MontoItem 1.00
// and MontoTotal 0.00 (PROTOCOL §10).
export const notaCreditoTexto: BusinessRule = {
  id: 'nota-credito-texto',
  section: 'PROTOCOL §4.4',
  description:
    'e-CF 34 with CodigoModificacion 2 (text correction): every billable line (IndicadorFacturacion ≠ 0) has MontoItem 0',
  check: (ctx) =>
    Number(get(ctx.doc, 'InformacionReferencia.CodigoModificacion')) !== 2
      ? []
      : items(ctx).flatMap((item) => {
          const m = num(item.value.MontoItem);
          const billable = num(item.value.IndicadorFacturacion) !== 0;
          return m === undefined || m === 0 || !billable
            ? []
            : [
                violation(
                  ctx,
                  `${item.path}.MontoItem`,
                  'nota-credito-texto',
                  'must be 0 in a text-correction credit note (a non-billable line, IndicadorFacturacion 0, may carry an amount)',
                ),
              ];
        }),
};
