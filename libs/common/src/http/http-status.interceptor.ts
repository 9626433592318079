import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Response } from 'express';
import { map, Observable } from 'rxjs';

const HTTP_STATUS = Symbol('httpStatus');

/**
 * Marks a response body with the HTTP status it must go out with. Used where the contract puts a
 * normal body on a non-2xx status (a DGII business rejection is HTTP 400 with the success body,
 * guide §6), so controllers stay one-liners without `@Res()`.
 */
export function withHttpStatus<T extends object>(body: T, status: number): T {
  Object.defineProperty(body, HTTP_STATUS, { value: status, enumerable: false });
  return body;
}

@Injectable()
export class HttpStatusInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      map((body: unknown) => {
        const status = (body as { [HTTP_STATUS]?: number } | null)?.[HTTP_STATUS];
        if (typeof status === 'number') context.switchToHttp().getResponse<Response>().status(status);
        return body;
      }),
    );
  }
}
