import type { DgiiEnvironment } from '@app/config';
import type { RiService } from '@app/ri';
import type { IssueEcfResponse } from '../ecf/dto/issue-ecf.response';
import type { RiOptionDto } from './dto/generate-ri.dto';

/**
 * `ri: {format}` on the issue routes: the RI of the document just signed, as base64, added to the
 * response (dry runs included: print now, send later, issue 12 §1). A rejected e-CF gets none: its
 * RI could not support anything (PROTOCOL §9.2).
 */
export async function withRiPdf(
  ri: RiService,
  response: IssueEcfResponse,
  request: { ri?: RiOptionDto; environment?: DgiiEnvironment },
): Promise<IssueEcfResponse> {
  if (!request.ri || (!response.success && response.dgiiEstado !== 'En Proceso')) return response;
  const r = await ri.generate({
    signedXml: response.signedXml,
    environment: request.environment,
    format: request.ri.format,
    rfce: response.rfceSignedXml !== undefined,
  });
  // Mutated, not copied: the body carries its HTTP status on a hidden property (withHttpStatus).
  response.riPdfBase64 = r.pdf.toString('base64');
  return response;
}
