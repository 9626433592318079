import { ValidateBy, type ValidationOptions } from 'class-validator';
import { decimalKey, decimalPlaces } from '@app/xml-builder';

export interface AmountOptions {
  /** Most significant decimals the DGII field takes (2 for amounts, 4 for PrecioUnitarioItem). */
  readonly decimals: number;
  /** Refuse negative amounts. */
  readonly nonNegative?: boolean;
}

/**
 * An amount as `ecf` takes it: a JSON number or a decimal string ("1180.00"). The decimals are
 * counted on the decimal text (`String(1e-7)` is "1e-7": 7 decimals), never through float
 * arithmetic, and never rounded away: more than `decimals` is VALIDATION_FAILED naming the field.
 */
export function IsAmount(options: AmountOptions, validationOptions?: ValidationOptions): PropertyDecorator {
  const { decimals, nonNegative = false } = options;
  return ValidateBy(
    {
      name: 'isAmount',
      constraints: [decimals],
      validator: {
        validate(value: unknown): boolean {
          if (typeof value !== 'number' && typeof value !== 'string') return false;
          const places = decimalPlaces(value);
          if (places === undefined || places > decimals) return false;
          return !nonNegative || !decimalKey(value)?.startsWith('-');
        },
        defaultMessage: (args) =>
          `${args?.property ?? 'amount'} must be ${nonNegative ? 'a non-negative' : 'an'} amount with at most ${decimals} decimals, ` +
          `as a JSON number or a decimal string like "1180.00"`,
      },
    },
    validationOptions,
  );
}
