import { Type } from 'class-transformer';
import { IsPositive, IsString, ValidateNested } from 'class-validator';
import { ValidationFailedError } from '../errors/domain-error';
import { createValidationPipe } from './validation.pipe';

class Line {
  @IsString() description!: string;
  @IsPositive() quantity!: number;
}

class Invoice {
  @IsString() rncEmisor!: string;
  @ValidateNested({ each: true })
  @Type(() => Line)
  lines!: Line[];
}

describe('global validation pipe', () => {
  const pipe = createValidationPipe();
  const run = (value: unknown) => pipe.transform(value, { type: 'body', metatype: Invoice });

  it('reports each problem with its JSON path, including array indexes', async () => {
    const error: ValidationFailedError = await run({
      rncEmisor: 7,
      lines: [
        { description: 'ok', quantity: 1 },
        { description: 'x', quantity: -2 },
      ],
      surprise: 1,
    }).catch((e: ValidationFailedError) => e);
    expect(error).toBeInstanceOf(ValidationFailedError);
    expect(error.details.map((d) => d.path).sort()).toEqual(['lines[1].quantity', 'rncEmisor', 'surprise']);
  });

  it('passes a valid body through as a class instance', async () => {
    const ok = await run({ rncEmisor: '131793916', lines: [{ description: 'a', quantity: 2 }] });
    expect(ok).toBeInstanceOf(Invoice);
  });
});
