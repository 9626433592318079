import type { DgiiCallContext } from '@app/dgii-gateway';

/**
 * Who issues: the identity that signs the documents (and DGII's seed) and the key DGII tokens
 * are cached under. apps/api builds it from the open session; issuance knows nothing of sessions.
 */
export type IssueCaller = Pick<DgiiCallContext, 'cacheKey' | 'identity'>;
