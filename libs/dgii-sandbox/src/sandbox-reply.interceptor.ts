import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import type { Response } from 'express';
import { NEVER, Observable, mergeMap, of } from 'rxjs';
import { HeldConnections } from './held-connections';
import { DGII_SANDBOX_OPTIONS, ResolvedSandboxOptions } from './sandbox.options';
import { SandboxReply } from './sandbox.reply';

/** Writes a SandboxReply's status, headers and raw body; holds the connection for a `timeout` fault. */
@Injectable()
export class SandboxReplyInterceptor implements NestInterceptor {
  constructor(
    private readonly held: HeldConnections,
    @Inject(DGII_SANDBOX_OPTIONS) private readonly options: ResolvedSandboxOptions,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const res = context.switchToHttp().getResponse<Response>();
    return next.handle().pipe(
      mergeMap((value: unknown) => {
        if (!(value instanceof SandboxReply)) return of(value);
        if (value.hold) {
          // Nest notices the client going away and sends nothing (router-execution-context).
          this.held.hold(res.socket, this.options.holdMs);
          return NEVER;
        }
        res.status(value.status);
        res.setHeader('Content-Type', value.contentType);
        for (const [name, header] of Object.entries(value.headers)) res.setHeader(name, header);
        return of(value.body);
      }),
    );
  }
}
