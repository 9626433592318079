import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsUrl, MaxLength } from 'class-validator';

/** `PUT /api/v1/inbound/receptors/{rnc}` (issue 10 §1). */
export class RegisterReceptorDto {
  @ApiProperty({
    example: 'https://integrator.example/hooks/dgii',
    description: 'Where received documents are POSTed as Standard Webhooks events',
  })
  @MaxLength(2048)
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false },
    { message: 'callbackUrl must be an http(s) URL' },
  )
  callbackUrl!: string;

  @ApiPropertyOptional({
    default: true,
    description: 'Senders must authenticate with the receptor seed handshake (PROTOCOL §8.1)',
  })
  @IsOptional()
  @IsBoolean()
  requireAuth?: boolean;
}

class ReceptorUrlsResponse {
  @ApiProperty({ example: 'https://131793916.ecf.example.com' })
  recepcion!: string;
  @ApiProperty({ example: 'https://131793916.ecf.example.com' })
  aprobacionComercial!: string;
  @ApiProperty({ example: 'https://131793916.ecf.example.com' })
  autenticacion!: string;
}

class ReceptorSignerResponse {
  @ApiProperty({ example: '40209547971' })
  signerCedula!: string;
  @ApiProperty({ example: '2026-04-23T20:15:00Z', description: 'The session ends then; re-attach before' })
  expiresAt!: string;
}

export class ReceptorResponse {
  @ApiProperty({ example: '131793916' })
  rnc!: string;
  @ApiProperty({ example: 'https://integrator.example/hooks/dgii' })
  callbackUrl!: string;
  @ApiProperty({ example: true })
  requireAuth!: boolean;
  @ApiProperty({
    type: ReceptorUrlsResponse,
    description:
      'The bases to register with DGII (urlRecepcion, urlAceptacion, urlOpcional); senders append /fe/recepcion/api/ecf etc.',
  })
  urls!: ReceptorUrlsResponse;
  @ApiProperty({
    type: ReceptorSignerResponse,
    nullable: true,
    description: 'The attached session that signs ARECFs; null: none, the receptor answers 503',
  })
  signer!: ReceptorSignerResponse | null;
  @ApiPropertyOptional({
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    description: 'Only when created or rotated: the Standard Webhooks secret of the callbacks. Store it now.',
  })
  callbackSecret?: string;
}
