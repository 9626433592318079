/**
 * What a DGII-facing receptor route answers in PROTOCOL §8's own shapes (the signed ARECF as XML,
 * the token and approval JSON), not the API's envelope. Errors (400 malformed, 401, 404, 429,
 * 503) are DomainErrors and get the envelope. Written by ReceptorReplyInterceptor.
 */
export class ReceptorReply {
  private constructor(
    readonly status: number,
    readonly body: string,
    readonly contentType: string,
  ) {}

  static json(status: number, value: unknown): ReceptorReply {
    return new ReceptorReply(status, JSON.stringify(value), 'application/json; charset=utf-8');
  }

  static xml(status: number, xml: string): ReceptorReply {
    return new ReceptorReply(status, xml, 'application/xml; charset=utf-8');
  }
}
