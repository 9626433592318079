import { createHmac, randomBytes } from 'node:crypto';

/** Standard Webhooks (standardwebhooks.com, "Signature scheme"): secrets are `whsec_` + base64 key. */
export const WEBHOOK_SECRET_PREFIX = 'whsec_';

/** A fresh secret: 32 random bytes, as Standard Webhooks recommends (24 to 64). */
export function newWebhookSecret(): string {
  return WEBHOOK_SECRET_PREFIX + randomBytes(32).toString('base64');
}

function keyOf(secret: string): Buffer {
  if (!secret.startsWith(WEBHOOK_SECRET_PREFIX)) throw new Error('webhook secret must start with whsec_');
  const key = Buffer.from(secret.slice(WEBHOOK_SECRET_PREFIX.length), 'base64');
  if (key.length < 16) throw new Error('webhook secret key is too short');
  return key;
}

export interface WebhookHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/**
 * The three Standard Webhooks headers for one send: `v1,` + base64 HMAC-SHA256 of
 * `{id}.{timestamp}.{body}` with the secret's key; the timestamp is whole seconds since the epoch.
 * `body` must be exactly the bytes sent.
 */
export function signWebhook(secret: string, id: string, atMs: number, body: string): WebhookHeaders {
  const timestamp = String(Math.floor(atMs / 1000));
  const mac = createHmac('sha256', keyOf(secret))
    .update(`${id}.${timestamp}.${body}`, 'utf8')
    .digest('base64');
  return { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${mac}` };
}
