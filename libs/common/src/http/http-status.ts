import type { Response } from 'express';

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

/**
 * Honours `withHttpStatus` for every JSON response of an Express app. Done once on the response
 * prototype rather than with a Nest interceptor: any interceptor puts every request through
 * rxjs and AsyncResource.bind, about 0.18 ms of event loop per request (bench:http profile).
 */
export function honourBodyStatus(app: { response: Response }): void {
  const proto = app.response;
  const json = proto.json;
  proto.json = function (this: Response, body?: unknown) {
    const status = (body as { [HTTP_STATUS]?: number } | null | undefined)?.[HTTP_STATUS];
    if (typeof status === 'number') this.status(status);
    return json.call(this, body);
  };
}
