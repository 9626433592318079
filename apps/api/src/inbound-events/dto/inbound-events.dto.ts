import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import type { InboundEventStatus, InboundEventType } from '@app/inbound';

const STATUSES: readonly InboundEventStatus[] = ['pending', 'delivered', 'failed'];

export class ListInboundEventsQueryDto {
  @ApiPropertyOptional({
    enum: STATUSES,
    description:
      'pending: not yet delivered (tries may remain); delivered: a 2xx callback or an ack; failed: tries used up or 410',
  })
  @IsOptional()
  @IsIn(STATUSES)
  status?: InboundEventStatus;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 500,
    default: 100,
    description: 'Oldest first, at most this many',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

export class InboundEventParamsDto {
  @ApiProperty({ example: 'evt_5f0c7d9e2b1a4c3d8e6f7a9b0c1d2e3f' })
  @Matches(/^evt_[0-9a-f]{32}$/, { message: 'id must be an inbound event id (evt_ and 32 hex digits)' })
  id!: string;
}

export class InboundDocumentFactsDto {
  @ApiPropertyOptional({ example: '31' }) tipoeCF?: string;
  @ApiPropertyOptional({ example: 'E310000000001' }) eNCF?: string;
  @ApiPropertyOptional({ example: '101672919' }) rncEmisor?: string;
  @ApiPropertyOptional({ example: 'PROVEEDORA DEL CARIBE SRL' }) razonSocialEmisor?: string;
  @ApiPropertyOptional({ example: '131880681' }) rncComprador?: string;
  @ApiPropertyOptional({ example: '23-04-2026' }) fechaEmision?: string;
  @ApiPropertyOptional({ example: '1180.00' }) montoTotal?: string;
  @ApiPropertyOptional({ example: '1', description: 'ACECF only: 1 aceptado, 2 rechazado' }) estado?: string;
}

export class InboundArecfDto {
  @ApiProperty({ example: '0', description: '0 recibido, 1 no recibido' }) estado!: string;
  @ApiPropertyOptional({
    example: '3',
    description: 'When not received: 1 format, 2 signature, 3 duplicate, 4 other RNC',
  })
  codigoMotivoNoRecibido?: string;
  @ApiProperty({ example: '<?xml version="1.0" encoding="utf-8"?><ARECF>…<Signature>…</Signature></ARECF>' })
  signedXml!: string;
}

/** An inbound event as pulled: the callback body plus how its delivery is going. */
export class InboundEventResponse {
  @ApiProperty({
    example: 'evt_5f0c7d9e2b1a4c3d8e6f7a9b0c1d2e3f',
    description: 'Also the webhook-id of its callbacks',
  })
  id!: string;
  @ApiProperty({ enum: ['ecf.received', 'acecf.received'] }) type!: InboundEventType;
  @ApiProperty({ example: '131880681', description: 'The receptor that received it' }) rnc!: string;
  @ApiProperty({ example: '2026-04-23T13:00:00-04:00' }) receivedAt!: string;
  @ApiProperty({ type: InboundDocumentFactsDto }) document!: InboundDocumentFactsDto;
  @ApiProperty({
    example: '<?xml version="1.0" encoding="utf-8"?><ECF>…<Signature>…</Signature></ECF>',
    description: 'The document exactly as received (never re-serialised)',
  })
  xml!: string;
  @ApiPropertyOptional({
    type: InboundArecfDto,
    description: 'ecf.received only: the acknowledgement we answered',
  })
  arecf?: InboundArecfDto;
  @ApiProperty({ enum: STATUSES }) status!: InboundEventStatus;
  @ApiProperty({ example: 1, description: 'Callback tries so far' }) attempts!: number;
  @ApiPropertyOptional({ example: '2026-04-23T17:00:05Z' }) nextAttemptAt?: string;
  @ApiPropertyOptional({ example: '2026-04-23T17:00:00Z' }) lastAttemptAt?: string;
  @ApiPropertyOptional({
    example: 'http_503',
    description: 'http_<status>, timeout, connection_error, no_callback_target or invalid_secret',
  })
  lastOutcome?: string;
  @ApiPropertyOptional({ example: '2026-04-23T17:00:05Z' }) deliveredAt?: string;
  @ApiPropertyOptional({ example: '2026-04-23T17:10:00Z' }) acknowledgedAt?: string;
}

export class InboundEventListResponse {
  @ApiProperty({ type: [InboundEventResponse] }) events!: InboundEventResponse[];
}
