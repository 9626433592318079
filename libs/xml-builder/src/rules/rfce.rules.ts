import { RFCE_THRESHOLD_DOP } from '@app/common';
import {
  compradorIdExclusive,
  encfPrefix,
  montoGravadoTotal,
  montoImpuestoAdicional,
  montoPeriodo,
  montoTotal,
  rncFormat,
  totalItbis,
} from './ecf-common.rules';
import { amount, get, violation } from './rule-helpers';
import type { BusinessRule, RulesModule } from './rule.types';

// PROTOCOL §5: only an e-CF 32 below DOP 250,000 is summarised as RFCE; from 250,000 it goes in full.
export const rfceBelow250k: BusinessRule = {
  id: 'rfce-below-250k',
  section: 'PROTOCOL §5',
  description: 'An RFCE summarises an e-CF 32 with MontoTotal below DOP 250,000.00',
  check: (ctx) =>
    amount(get(ctx.doc, 'Encabezado.Totales.MontoTotal')) >= RFCE_THRESHOLD_DOP
      ? [
          violation(
            ctx,
            'Encabezado.Totales.MontoTotal',
            'rfce-below-250k',
            'an e-CF 32 of DOP 250,000 or more is sent in full, not as RFCE',
          ),
        ]
      : [],
};

/** RFCE (PROTOCOL §5): the summary carries the e-CF 32's totals, so the totals rules apply to it too. */
export const RFCE_RULES: RulesModule = {
  kind: 'RFCE',
  rules: [
    encfPrefix,
    rncFormat,
    compradorIdExclusive,
    montoGravadoTotal,
    totalItbis,
    montoImpuestoAdicional,
    montoTotal,
    montoPeriodo,
    rfceBelow250k,
  ],
};
