import { readFileSync } from 'node:fs';
import { FIELD_REFERENCE, renderFieldReference } from './generate-field-reference';

describe('docs/api/paso-2-client-reference.md', () => {
  const rendered = renderFieldReference();

  it('is what scripts/generate-field-reference.ts renders from the catalogue (regenerate it when this fails)', () => {
    expect(readFileSync(FIELD_REFERENCE, 'utf8')).toBe(rendered);
  });

  it('lists every field with its JSON path, type, constraints and the types that have and require it', () => {
    expect(rendered).toContain(
      '| `ecf.Encabezado.IdDoc.TipoPago` | TipoPago | `TipoPagoType` | `1` Contado, `2` Crédito, `3` Gratuito | **31** **32** **33** **34** 41 43 **44** **45** **46** 47 |',
    );
    expect(rendered).toMatch(
      /\| `ecf\.DetallesItems\.Item\[\]\.PrecioUnitarioItem` \| PrecioUnitarioItem \| .*at most 4 decimals/,
    );
    expect(rendered).toContain('| `ecf.Encabezado.IdDoc.IndicadorNotaCredito` | IndicadorNotaCredito |');
    expect(rendered).toContain('`monto-total`');
    expect(rendered).toContain('### RFCE (root `RFCE`, RFCE-32-v1.0.xsd)');
  });
});
