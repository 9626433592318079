import { Type } from 'class-transformer';
import { IsPositive, IsString, ValidateNested } from 'class-validator';
import { UnsupportedMediaTypeError, ValidationFailedError } from '../errors/domain-error';
import { PassThroughObject, createValidationPipe, hasReservedKey, reservedKeyPaths } from './validation.pipe';

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

  it('answers 415 when a DTO body never arrived (the request was not JSON)', async () => {
    await expect(run(undefined)).rejects.toBeInstanceOf(UnsupportedMediaTypeError);
  });
});

class Issue {
  @IsString() note!: string;
  @PassThroughObject() ecf?: Record<string, unknown>;
}

class IdempotentIssue extends Issue {
  @PassThroughObject() extra?: Record<string, unknown>;
}

describe('PassThroughObject', () => {
  const pipe = createValidationPipe();
  const run = (value: unknown, metatype: new () => object = Issue) =>
    pipe.transform(value, { type: 'body', metatype });
  const detailsOf = (value: unknown) =>
    run(value).then(
      () => [],
      (e: ValidationFailedError) => e.details,
    );

  it('hands the object on as received: same reference, no copy, no walk', async () => {
    const ecf = { Encabezado: { Deep: [{ x: 1 }] }, unknownName: true };
    const out = (await run({ note: 'a', ecf })) as Issue;
    expect(out).toBeInstanceOf(Issue);
    expect(out.ecf).toBe(ecf);
  });

  it('is optional like @IsOptional: absent or null passes', async () => {
    expect(((await run({ note: 'a' })) as Issue).ecf).toBeUndefined();
    expect(await detailsOf({ note: 'a', ecf: null })).toEqual([]);
  });

  it.each([['x'], [7], [[]], [true]])('refuses %j like @IsObject, beside the other problems', async (ecf) => {
    expect(await detailsOf({ note: 'a', ecf })).toEqual([{ path: 'ecf', message: 'ecf must be an object' }]);
    const both = await detailsOf({ note: 1, ecf, surprise: 1 });
    expect(both.map((d) => d.path).sort()).toEqual(['ecf', 'note', 'surprise']);
  });

  it('a subclass keeps its parent pass-through names and adds its own', async () => {
    const ecf = {};
    const extra = {};
    const out = (await run({ note: 'a', ecf, extra }, IdempotentIssue)) as IdempotentIssue;
    expect(out.ecf).toBe(ecf);
    expect(out.extra).toBe(extra);
    expect(await run({ note: 'a', extra: {} }, Issue).catch((e: ValidationFailedError) => e.details)).toEqual(
      [expect.objectContaining({ path: 'extra' })],
    );
  });
});

describe('hasReservedKey', () => {
  const parsed = (text: string): unknown => JSON.parse(text);

  it('finds __proto__, constructor and prototype at any depth, in objects and arrays', () => {
    for (const body of [
      '{"__proto__":{}}',
      '{"ecf":{"Encabezado":{"constructor":1}}}',
      '{"lines":[{"a":1},{"b":[{"prototype":"x"}]}]}',
    ]) {
      expect(hasReservedKey(parsed(body))).toBe(true);
      expect(reservedKeyPaths(parsed(body)).length).toBeGreaterThan(0);
    }
  });

  it('is false where reservedKeyPaths finds nothing, names like toString included', () => {
    for (const body of [
      '{}',
      '[]',
      '{"ecf":{"toString":1,"valueOf":[{"hasOwnProperty":2}]}}',
      '{"a":[1,"x",null]}',
    ]) {
      expect(hasReservedKey(parsed(body))).toBe(false);
      expect(reservedKeyPaths(parsed(body))).toEqual([]);
    }
  });
});
