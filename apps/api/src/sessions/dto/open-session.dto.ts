import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';

export class OpenSessionDto {
  @ApiProperty({
    description: 'The customer .p12 (PKCS#12) file, base64-encoded. Unlocked in memory only; never stored.',
    example: 'MIIKfAIBAzCCCjIGCSqGSIb3DQEHAaCCCiMEggofMIIKGzCCBJ8GCSqGSIb3DQEHBqCCBJAwggSMAgEA…',
  })
  @IsString()
  @MaxLength(1_400_000)
  certificate!: string;

  @ApiProperty({
    description: 'The .p12 password (may be empty). Never stored or logged.',
    example: 'Clave-Secreta.2024',
  })
  @IsString()
  @MaxLength(1024)
  password!: string;
}
