import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Response } from 'express';
import { map, Observable } from 'rxjs';
import { ReceptorReply } from './receptor.reply';

/** Writes a ReceptorReply's status, content type and raw body, so controllers stay one-liners. */
@Injectable()
export class ReceptorReplyInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const res = context.switchToHttp().getResponse<Response>();
    return next.handle().pipe(
      map((value: unknown) => {
        if (!(value instanceof ReceptorReply)) return value;
        res.status(value.status);
        res.setHeader('Content-Type', value.contentType);
        res.setHeader('Cache-Control', 'no-store');
        return value.body;
      }),
    );
  }
}
