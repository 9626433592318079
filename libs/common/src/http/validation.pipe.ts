import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { IsOptional } from 'class-validator';
import { ErrorDetail, UnsupportedMediaTypeError, ValidationFailedError } from '../errors/domain-error';

/** Flattens class-validator's tree into `details[]` with JSON paths like `lines[0].quantity`. */
export function validationDetails(errors: ValidationError[], parent = ''): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  for (const error of errors) {
    const segment = /^\d+$/.test(error.property) ? `[${error.property}]` : error.property;
    const path =
      parent === '' ? segment : segment.startsWith('[') ? `${parent}${segment}` : `${parent}.${segment}`;
    for (const message of Object.values(error.constraints ?? {})) {
      out.push({ path, message });
    }
    if (error.children?.length) out.push(...validationDetails(error.children, path));
  }
  return out;
}

const RESERVED_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Whether any own key at any depth is `__proto__`, `constructor` or `prototype`: the same walk as
 * reservedKeyPaths without building a path for every key, since almost no body has one (a 10-line
 * e-CF has ~250 keys, and this runs on every JSON request).
 */
export function hasReservedKey(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || typeof node !== 'object') continue;
    if (Array.isArray(node)) {
      for (const item of node) stack.push(item);
      continue;
    }
    for (const key of Object.keys(node)) {
      if (RESERVED_KEYS.has(key)) return true;
      stack.push((node as Record<string, unknown>)[key]);
    }
  }
  return false;
}

/** JSON paths of every own `__proto__` / `constructor` / `prototype` key, walked without recursion. */
export function reservedKeyPaths(value: unknown, limit = 20): string[] {
  const found: string[] = [];
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length > 0 && found.length < limit) {
    const [node, path] = stack.pop() as [unknown, string];
    if (node === null || typeof node !== 'object') continue;
    if (Array.isArray(node)) {
      node.forEach((item, i) => stack.push([item, `${path}[${i}]`]));
      continue;
    }
    for (const key of Object.keys(node)) {
      const keyPath = path === '' ? key : `${path}.${key}`;
      if (RESERVED_KEYS.has(key)) found.push(keyPath);
      else stack.push([(node as Record<string, unknown>)[key], keyPath]);
    }
  }
  return found.sort();
}

const PASS_THROUGH = Symbol('passThroughObjects');

type WithPassThrough = { [PASS_THROUGH]?: readonly string[] };

/**
 * An optional property that must be a JSON object and is handed to the handler as received: the
 * pipe neither deep-copies it (class-transformer) nor walks it (class-validator). For `ecf`,
 * whose every name and value the catalogue checks itself (unknown names → 422): the copy and
 * walk of a 10-line e-CF cost about a third of a dry run's CPU (bench:http profile). Same rule
 * as `@IsOptional() @IsObject()`: absent or null passes, anything else but a non-array object
 * is a VALIDATION_FAILED detail `<name> must be an object`.
 */
export function PassThroughObject(): PropertyDecorator {
  return (target, property) => {
    if (typeof property !== 'string') throw new TypeError('PassThroughObject needs a string property');
    // class-validator must still know the name (whitelist), and skips it: it is never there.
    IsOptional()(target, property);
    const owner = target as WithPassThrough;
    // Own copy per class, so a subclass adds to, and never changes, its parent's list.
    const inherited = owner[PASS_THROUGH] ?? [];
    Object.defineProperty(owner, PASS_THROUGH, { value: [...inherited, property], configurable: true });
  };
}

function passThroughOf(metatype: ArgumentMetadata['metatype']): readonly string[] {
  return (metatype?.prototype as WithPassThrough | undefined)?.[PASS_THROUGH] ?? [];
}

function failed(details: ErrorDetail[]): ValidationFailedError {
  return new ValidationFailedError(
    `request validation failed: ${details.length} problem${details.length === 1 ? '' : 's'}`,
    details,
  );
}

/**
 * The one global pipe (STYLE §7): whitelist, forbid unknown properties, transform. A DTO body
 * that never arrived means the request was not JSON (the body reader reads only JSON media
 * types): 415, instead of a validation error for every field.
 */
class EnvelopeValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'body' || !this.toValidate(metadata)) return super.transform(value, metadata);
    if (value === undefined) {
      throw new UnsupportedMediaTypeError('the request body must be application/json (UTF-8)');
    }
    const names = passThroughOf(metadata.metatype);
    if (names.length === 0 || typeof value !== 'object' || value === null || Array.isArray(value)) {
      return super.transform(value, metadata);
    }
    const body = value as Record<string, unknown>;
    const rest: Record<string, unknown> = { ...body };
    const kept: [string, unknown][] = [];
    const problems: ErrorDetail[] = [];
    for (const name of names) {
      if (!Object.prototype.hasOwnProperty.call(body, name)) continue;
      const v = body[name];
      delete rest[name];
      if (v === undefined || v === null) continue;
      if (typeof v !== 'object' || Array.isArray(v))
        problems.push({ path: name, message: `${name} must be an object` });
      else kept.push([name, v]);
    }
    let instance: Record<string, unknown>;
    try {
      instance = (await super.transform(rest, metadata)) as Record<string, unknown>;
    } catch (error) {
      if (error instanceof ValidationFailedError && problems.length > 0) {
        throw failed([...problems, ...error.details]);
      }
      throw error;
    }
    if (problems.length > 0) throw failed(problems);
    for (const [name, v] of kept) instance[name] = v;
    return instance;
  }

  /**
   * Nest's pipe deletes `__proto__`, `constructor` and `prototype` keys silently before
   * class-transformer sees them; a body that says them is refused instead, naming each, so nothing
   * the integrator sent disappears without a word (issue 7: unknown names are never dropped).
   */
  protected override stripProtoKeys(value: unknown): void {
    if (!hasReservedKey(value)) return;
    const paths = reservedKeyPaths(value);
    throw new ValidationFailedError(
      `request validation failed: ${paths.length} reserved name${paths.length === 1 ? '' : 's'}`,
      paths.map((path) => ({
        path,
        message: 'is a reserved JavaScript name, not a field of this API or an element of any DGII document',
        rule: 'reserved-name',
      })),
    );
  }
}

export function createValidationPipe(): ValidationPipe {
  return new EnvelopeValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => failed(validationDetails(errors)),
  });
}
