import { rncFormat } from './ecf-common.rules';
import { get, isAbsent, violation } from './rule-helpers';
import type { BusinessRule, RulesModule } from './rule.types';

const D = 'DetalleAprobacionComercial';

// PROTOCOL §6: DetalleMotivoRechazo only when Estado = 2 (rechazado); omit it otherwise.
export const acecfMotivoRechazo: BusinessRule = {
  id: 'acecf-motivo-rechazo',
  section: 'PROTOCOL §6',
  description: 'ACECF DetalleMotivoRechazo only when Estado is 2 (rechazado)',
  check: (ctx) =>
    !isAbsent(get(ctx.doc, `${D}.DetalleMotivoRechazo`)) && Number(get(ctx.doc, `${D}.Estado`)) !== 2
      ? [
          violation(
            ctx,
            `${D}.DetalleMotivoRechazo`,
            'acecf-motivo-rechazo',
            'only allowed when Estado is 2 (rechazado)',
          ),
        ]
      : [],
};

// PROTOCOL §6 and §4.1: commercial approval exists for e-CF 31, 33, 34, 44 and 45 only.
export const acecfTipoAplicable: BusinessRule = {
  id: 'acecf-tipo-aplicable',
  section: 'PROTOCOL §6, §4.1',
  description: 'ACECF eNCF is an e-NCF of type 31, 33, 34, 44 or 45 (not 32, 41, 43, 46, 47)',
  check: (ctx) => {
    const encf = get(ctx.doc, `${D}.eNCF`);
    if (typeof encf !== 'string' || encf === '') return [];
    return /^E(31|33|34|44|45)\d{10}$/.test(encf)
      ? []
      : [
          violation(
            ctx,
            `${D}.eNCF`,
            'acecf-tipo-aplicable',
            'must be the e-NCF of an e-CF 31, 33, 34, 44 or 45',
          ),
        ];
  },
};

export const ACECF_RULES: RulesModule = {
  kind: 'ACECF',
  rules: [rncFormat, acecfMotivoRechazo, acecfTipoAplicable],
};
