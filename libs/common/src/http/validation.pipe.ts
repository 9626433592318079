import { ValidationError, ValidationPipe } from '@nestjs/common';
import { ErrorDetail, ValidationFailedError } from '../errors/domain-error';

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

/**
 * Nest's pipe deletes `__proto__`, `constructor` and `prototype` keys silently before
 * class-transformer sees them; a body that says them is refused instead, naming each, so nothing
 * the integrator sent disappears without a word (issue 7: unknown names are never dropped).
 */
class EnvelopeValidationPipe extends ValidationPipe {
  protected override stripProtoKeys(value: unknown): void {
    const paths = reservedKeyPaths(value);
    if (paths.length === 0) return;
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

/** The one global pipe (STYLE §7): whitelist, forbid unknown properties, transform. */
export function createValidationPipe(): ValidationPipe {
  return new EnvelopeValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const details = validationDetails(errors);
      return new ValidationFailedError(
        `request validation failed: ${details.length} problem${details.length === 1 ? '' : 's'}`,
        details,
      );
    },
  });
}
