import { capturedRootLogger } from '../testing/captured-root-logger';
import { PinoNestLogger } from './pino-nest-logger';

function capture(level: 'info' | 'warn' = 'info') {
  const { lines, root } = capturedRootLogger(level);
  return { lines, logger: new PinoNestLogger(root) };
}

describe('PinoNestLogger (Nest LoggerService over pino)', () => {
  it('writes a string message with the context Nest passes last', () => {
    const { lines, logger } = capture();
    logger.log('Nest application successfully started', 'NestApplication');
    expect(lines).toEqual([
      expect.objectContaining({
        level: 30,
        context: 'NestApplication',
        msg: 'Nest application successfully started',
      }),
    ]);
  });

  it('merges an object message into the line and keeps the message argument', () => {
    const { lines, logger } = capture();
    logger.warn({ path: '/x', requestId: 'r-1' }, 'client went away', 'EnvelopeFilter');
    expect(lines[0]).toMatchObject({
      level: 40,
      path: '/x',
      requestId: 'r-1',
      msg: 'client went away',
      context: 'EnvelopeFilter',
    });
  });

  it('turns an Error into `err` with its stack, and Nest’s (message, stack, context) call likewise', () => {
    const { lines, logger } = capture();
    logger.error(new Error('boom'), 'Ctx');
    const stack = new Error('kaput').stack!;
    logger.error('kaput', stack, 'ExceptionsHandler');
    expect(lines[0]).toMatchObject({ level: 50, context: 'Ctx', err: { message: 'boom', type: 'Error' } });
    expect(lines[1]).toMatchObject({
      level: 50,
      context: 'ExceptionsHandler',
      err: { message: 'kaput', stack },
    });
  });

  it('writes nothing below its level and still censors credentials in fields', () => {
    const { lines, logger } = capture('warn');
    logger.log('not written', 'Ctx');
    logger.debug('not written either');
    logger.warn({ password: 'TopSecretPw-9', token: 'tok-abc' }, 'redacted', 'Ctx');
    expect(lines).toHaveLength(1);
    expect(JSON.stringify(lines[0])).not.toMatch(/TopSecretPw-9|tok-abc/);
    expect(lines[0]).toMatchObject({ password: '[redacted]', token: '[redacted]' });
  });
});
