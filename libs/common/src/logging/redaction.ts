/**
 * Paths pino censors in every log line (DESIGN §1.2, STYLE §16). Bodies are never logged by
 * the HTTP logger; the body paths guard any explicit `logger.x({ body })` call.
 */
export const REDACTED_PATHS: readonly string[] = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'req.body.certificate',
  'req.body.password',
  'body.certificate',
  'body.password',
  'certificate',
  'password',
  'token',
  'apiKey',
  'dgiiToken',
  '*.certificate',
  '*.password',
  '*.token',
  '*.apiKey',
  '*.dgiiToken',
];
