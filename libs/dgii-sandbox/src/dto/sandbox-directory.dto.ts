import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

const URL_MESSAGE = 'must be an absolute http(s) URL';

/**
 * `POST /dgii-sandbox/_admin/directory`: "RNC X receives at URL Y" (issue 11 §5). Without any URL,
 * the RNC receives at the sandbox's built-in receptor (with its authentication URL).
 */
export class SandboxDirectoryDto {
  @Matches(/^(\d{9}|\d{11})$/, { message: 'rnc must be 9 or 11 digits' })
  rnc!: string;

  @IsOptional()
  @IsString()
  @MaxLength(150)
  nombre?: string;

  @IsOptional()
  @Matches(/^https?:\/\/\S+$/i, { message: `urlRecepcion ${URL_MESSAGE}` })
  @MaxLength(2_000)
  urlRecepcion?: string;

  @IsOptional()
  @Matches(/^https?:\/\/\S+$/i, { message: `urlAceptacion ${URL_MESSAGE}` })
  @MaxLength(2_000)
  urlAceptacion?: string;

  @IsOptional()
  @Matches(/^https?:\/\/\S+$/i, { message: `urlOpcional ${URL_MESSAGE}` })
  @MaxLength(2_000)
  urlOpcional?: string;

  /** `testecf`, `certecf` or `ecf` (any case); all three when absent. */
  @IsOptional()
  @IsIn(['testecf', 'certecf', 'ecf', 'TESTECF', 'CERTECF', 'ECF', 'TesteCF', 'CerteCF'])
  segment?: string;
}
