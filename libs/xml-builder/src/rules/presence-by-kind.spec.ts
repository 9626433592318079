import { ECF_TYPES, hasElement } from '../catalogue';
import { PRESENCE_BY_KIND } from './presence-by-kind';
import { RULES_BY_KIND } from './rules.registry';

describe('PRESENCE_BY_KIND', () => {
  it('has one row per e-CF type of the catalogue', () => {
    expect(Object.keys(PRESENCE_BY_KIND)).toEqual([...ECF_TYPES]);
  });

  it.each([...ECF_TYPES])('requires in e-CF %s only elements its schema has', (type) => {
    for (const row of PRESENCE_BY_KIND[type].filter((r) => r.presence === 'required')) {
      expect([row.path, hasElement(type, row.path.replace(/\[\]/g, ''))]).toEqual([row.path, true]);
    }
  });

  it.each([...ECF_TYPES])('is what the registry runs as the presence rules of e-CF %s', (type) => {
    const rules = RULES_BY_KIND[type].rules;
    const paths = (presence: 'required' | 'forbidden'): string =>
      PRESENCE_BY_KIND[type]
        .filter((r) => r.presence === presence)
        .map((r) => r.path)
        .join(', ');
    expect(rules.find((r) => r.id === 'section-required')?.description).toBe(
      `Required here: ${paths('required')}`,
    );
    expect(rules.find((r) => r.id === 'section-forbidden')?.description).toBe(
      `Forbidden here: ${paths('forbidden')}`,
    );
  });
});
