import type { IssueCaller } from '@app/issuance';
import type { Session } from '@app/sessions';

/** The part of an open session that issuing needs: its signing identity and DGII token key. */
export function issueCallerOf(session: Session): IssueCaller {
  return { cacheKey: session.cacheKey, identity: session.identity };
}
