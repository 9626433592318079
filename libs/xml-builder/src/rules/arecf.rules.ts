import { rncFormat } from './ecf-common.rules';
import { get, isAbsent, violation } from './rule-helpers';
import type { BusinessRule, RulesModule } from './rule.types';

const D = 'DetalleAcusedeRecibo';

// PROTOCOL §7.1: CodigoMotivoNoRecibido exactly when Estado = 1 (no recibido); omitted when 0.
export const arecfMotivo: BusinessRule = {
  id: 'arecf-motivo',
  section: 'PROTOCOL §7.1',
  description: 'ARECF CodigoMotivoNoRecibido is given exactly when Estado is 1 (no recibido)',
  check: (ctx) => {
    const notReceived = Number(get(ctx.doc, `${D}.Estado`)) === 1;
    const motivo = get(ctx.doc, `${D}.CodigoMotivoNoRecibido`);
    if (notReceived && isAbsent(motivo)) {
      return [
        violation(
          ctx,
          `${D}.CodigoMotivoNoRecibido`,
          'arecf-motivo',
          'is required when Estado is 1 (no recibido)',
        ),
      ];
    }
    if (!notReceived && !isAbsent(motivo)) {
      return [
        violation(
          ctx,
          `${D}.CodigoMotivoNoRecibido`,
          'arecf-motivo',
          'must be omitted when Estado is 0 (recibido)',
        ),
      ];
    }
    return [];
  },
};

export const ARECF_RULES: RulesModule = { kind: 'ARECF', rules: [rncFormat, arecfMotivo] };
