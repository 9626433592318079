import { ApiProperty } from '@nestjs/swagger';

export class SessionResponse {
  @ApiProperty({
    description: 'Cédula of the certificate holder (subject serialNumber, IDCDO- prefix removed)',
    example: '40209547971',
  })
  signerCedula!: string;

  @ApiProperty({ example: 'CN=ALEX RODRIGUEZ,SERIALNUMBER=40209547971,O=VIAFIRMA DOMINICANA,C=DO' })
  subjectDn!: string;

  @ApiProperty({
    description: 'When the signing certificate expires (ISO-8601 UTC)',
    example: '2027-04-20T00:00:00Z',
  })
  certExpiresAt!: string;

  @ApiProperty({ description: 'When this session expires (ISO-8601 UTC)', example: '2026-04-23T17:15:00Z' })
  expiresAt!: string;
}

export class OpenedSessionResponse extends SessionResponse {
  @ApiProperty({
    description: 'Opaque bearer token (32 random bytes, base64url). A credential: never log it.',
    example: 'dXNXRUxTMkZINDBiUXR1WUhpelprenVRZlVtZzkzNndSdzJrNnY',
  })
  token!: string;
}
