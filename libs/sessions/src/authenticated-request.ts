import type { Request } from 'express';
import { Session } from './session';

/** What the guards attach to a request. */
export interface AuthenticatedRequest extends Request {
  apiKeyId?: string;
  session?: Session;
}
