import { StreamableFile } from '@nestjs/common';
import { Observable } from 'rxjs';
import {
  documentsZip,
  isFinished,
  type CaseDocuments,
  type CertificationRunner,
  type RunOwner,
  type RunView,
} from '@app/certification';
import type { Session } from '@app/sessions';

/** A run belongs to the API key and the session that started it (DESIGN §1.3). */
export function ownerOf(session: Session): RunOwner {
  return { apiKeyId: session.apiKeyId, tokenHash: session.tokenHash };
}

export interface RunMessageEvent {
  type: 'run' | 'case';
  data: unknown;
}

/**
 * SSE stream of a run: the whole run first, then each change (`case` events, and `run` events on
 * status changes); completes when the run finishes, at once if it already has.
 */
export function runEventsOf(runner: CertificationRunner, snapshot: RunView): Observable<RunMessageEvent> {
  return new Observable<RunMessageEvent>((subscriber) => {
    subscriber.next({ type: 'run', data: snapshot });
    if (isFinished(snapshot)) {
      subscriber.complete();
      return undefined;
    }
    return runner.subscribe(snapshot.runId, (event) => {
      if (event.type === 'case') subscriber.next({ type: 'case', data: event.case });
      else {
        subscriber.next({ type: 'run', data: event.run });
        if (isFinished(event.run)) subscriber.complete();
      }
    });
  });
}

export function documentsFileOf(runId: string, documents: readonly CaseDocuments[]): StreamableFile {
  return new StreamableFile(documentsZip(documents), {
    type: 'application/zip',
    disposition: `attachment; filename="certification-run-${runId}.zip"`,
  });
}

/** The Paso 5 RIs as a download; the slot of each file is its folder in the zip. */
export function riFileOf(runId: string, riZip: { zip: Buffer }): StreamableFile {
  return new StreamableFile(riZip.zip, {
    type: 'application/zip',
    disposition: `attachment; filename="certification-run-${runId}-ri.zip"`,
  });
}
