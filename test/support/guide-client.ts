/**
 * The TypeScript client of the integration guide §4, kept as the guide prints it (the contract
 * integrators copy), so a test can prove the service honours its 401 → reopen → retry pattern.
 */
export interface AcecfIssueRequest {
  rncEmisor: string;
  rncComprador: string;
  eNCF: string;
  fechaEmisionOriginal: string;
  montoTotalOriginal: number;
  estado: 1 | 2;
  environment?: string;
  dryRun?: boolean;
}

export interface AcecfIssueResponse {
  trackId: string | null;
  dgiiEstado: string;
  signedXml: string;
  submittedAt: string | null;
  success: boolean;
  statusMessage: string;
}

export class FiscaliacoreClient {
  private tokenPromise: Promise<string> | null = null;

  constructor(
    private readonly baseUrl: string,
    private readonly apiKey: string,
    private readonly certificateBase64: () => Promise<string>,
    private readonly password: () => Promise<string>,
  ) {}

  private async openSession(): Promise<string> {
    const res = await fetch(`${this.baseUrl}/api/v1/sessions`, {
      method: 'POST',
      headers: {
        'X-Api-Key': this.apiKey,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({
        certificate: await this.certificateBase64(),
        password: await this.password(),
      }),
    });
    if (!res.ok) throw new Error(`session open failed: ${res.status}`);
    const body = (await res.json()) as { token: string; expiresAt: string };
    // Refresh ~60s before the server's TTL.
    setTimeout(
      () => (this.tokenPromise = null),
      Math.max(0, new Date(body.expiresAt).getTime() - Date.now() - 60_000),
    );
    return body.token;
  }

  private async token(): Promise<string> {
    if (!this.tokenPromise) this.tokenPromise = this.openSession();
    return this.tokenPromise;
  }

  /** Run `call` with a fresh bearer; on 401 evict + retry once. */
  async withSession<T>(call: (bearer: string) => Promise<Response>): Promise<T> {
    let bearer = await this.token();
    let res = await call(bearer);
    if (res.status === 401) {
      this.tokenPromise = null;
      bearer = await this.token();
      res = await call(bearer);
    }
    if (!res.ok) {
      const body = await res.text();
      throw new Error(`${res.status}: ${body}`);
    }
    return res.json() as Promise<T>;
  }

  async issueAcecf(payload: AcecfIssueRequest): Promise<AcecfIssueResponse> {
    return this.withSession((bearer) =>
      fetch(`${this.baseUrl}/api/v1/acecf/issue`, {
        method: 'POST',
        headers: {
          'X-Api-Key': this.apiKey,
          Authorization: `Bearer ${bearer}`,
          'Content-Type': 'application/json',
        },
        body: JSON.stringify(payload),
      }),
    );
  }
}
