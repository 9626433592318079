/**
 * What a sandbox route answers, in DGII's own shapes and statuses (not the API's envelope).
 * Applied to the response by SandboxReplyInterceptor, so controllers stay one-liners.
 */
export class SandboxReply {
  private constructor(
    readonly status: number,
    readonly body: string,
    readonly contentType: string,
    readonly headers: Readonly<Record<string, string>> = {},
    /** Never answer: the `timeout` fault. */
    readonly hold = false,
  ) {}

  static json(status: number, value: unknown): SandboxReply {
    return new SandboxReply(status, JSON.stringify(value), 'application/json; charset=utf-8');
  }

  static text(status: number, text: string): SandboxReply {
    return new SandboxReply(status, text, 'text/plain; charset=utf-8');
  }

  static xml(status: number, xml: string): SandboxReply {
    return new SandboxReply(status, xml, 'application/xml; charset=utf-8');
  }

  static html(status: number, html: string): SandboxReply {
    return new SandboxReply(status, html, 'text/html; charset=utf-8');
  }

  /** ASP.NET's JWT bearer challenge: 401, empty body. */
  static unauthorized(): SandboxReply {
    return new SandboxReply(401, '', 'text/plain; charset=utf-8', { 'WWW-Authenticate': 'Bearer' });
  }

  /** ASP.NET model binding without the `xml` part (PROTOCOL §1.6: ProblemDetails). */
  static problem(field: string, message: string): SandboxReply {
    return new SandboxReply(
      400,
      JSON.stringify({
        type: 'https://tools.ietf.org/html/rfc7231#section-6.5.1',
        title: 'One or more validation errors occurred.',
        status: 400,
        errors: { [field]: [message] },
      }),
      'application/problem+json; charset=utf-8',
    );
  }

  static notFound(): SandboxReply {
    return SandboxReply.html(
      404,
      '<html><head><title>404 - Not Found</title></head><body><h1>404 - Not Found</h1></body></html>',
    );
  }

  static serverError(): SandboxReply {
    return SandboxReply.html(
      500,
      '<!DOCTYPE html><html><head><title>500 - Internal server error.</title></head>' +
        '<body><h2>500 - Internal server error.</h2><h3>There is a problem with the resource you are looking for, ' +
        'and it cannot be displayed.</h3></body></html>',
    );
  }

  static held(): SandboxReply {
    return new SandboxReply(0, '', '', {}, true);
  }
}
