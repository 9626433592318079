import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** One DGII message, verbatim. */
export class RunMessage {
  @ApiProperty({ example: '0' })
  codigo!: string;
  @ApiProperty({ example: 'El eNCF E310000000005 ya fue utilizado por el emisor 133470616.' })
  valor!: string;
}

export class RunCaseView {
  @ApiProperty({ example: 8, description: 'Row of the case in the workbook' })
  row!: number;
  @ApiProperty({ example: '133470616E310000000004', description: "DGII's CasoPrueba" })
  caseId!: string;
  @ApiProperty({ example: '31', description: 'TipoeCF, or ACECF' })
  tipo!: string;
  @ApiProperty({ example: 'E310000000004' })
  encf!: string;
  @ApiProperty({ enum: ['ecf', 'rfce', 'acecf'], description: 'rfce: consumo < RD$250,000 to the fc host' })
  route!: string;
  @ApiProperty({
    enum: ['pending', 'validated', 'sent', 'Aceptado', 'Aceptado Condicional', 'Rechazado', 'failed'],
  })
  state!: string;
  @ApiProperty({ nullable: true, type: Number, example: 3, description: 'Position in the send order' })
  sendOrder!: number | null;
  @ApiProperty({ nullable: true, type: String, example: '4f0c6c1e-2b7f-4a55-9d2b-0c1f6a3e7d21' })
  trackId!: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'Aceptado', description: "DGII's estado, verbatim" })
  dgiiEstado!: string | null;
  @ApiProperty({ type: [RunMessage] })
  mensajes!: RunMessage[];
  @ApiProperty({
    nullable: true,
    type: Object,
    description: 'Why the case failed locally or DGII could not be reached: {message, code, details}',
  })
  error!: { message: string; code: string; details: unknown[] } | null;
  @ApiProperty({ nullable: true, type: String, example: '2026-06-23T17:45:47-04:00' })
  validatedAt!: string | null;
  @ApiProperty({ nullable: true, type: String })
  sentAt!: string | null;
  @ApiProperty({ nullable: true, type: String })
  decidedAt!: string | null;
}

export class RunStop {
  @ApiProperty({ example: 8 })
  row!: number;
  @ApiProperty({ example: 'E310000000004' })
  encf!: string;
  @ApiProperty({ example: 'Rechazado: simulated rejection', description: "DGII's message verbatim, or ours" })
  message!: string;
}

export class RunResponse {
  @ApiProperty({ example: '0d8e6f0a-8f55-4b4e-a8a4-3b5f3c7c9a10' })
  runId!: string;
  @ApiProperty({ enum: ['ecf', 'acecf'] })
  kind!: string;
  @ApiProperty({ enum: ['validate', 'send'] })
  mode!: string;
  @ApiProperty({ enum: ['TEST', 'CERTIFICATION'] })
  environment!: string;
  @ApiProperty({ enum: ['running', 'validated', 'passed', 'rejected', 'failed', 'cancelled'] })
  status!: string;
  @ApiProperty({ example: '2026-06-23T17:45:47-04:00' })
  createdAt!: string;
  @ApiProperty({ nullable: true, type: String })
  finishedAt!: string | null;
  @ApiPropertyOptional({ type: RunStop, nullable: true })
  stoppedAt!: RunStop | null;
  @ApiProperty({ example: 0, description: 'Uploads made to DGII by this run' })
  dgiiUploads!: number;
  @ApiProperty({ type: [RunCaseView] })
  cases!: RunCaseView[];
}
