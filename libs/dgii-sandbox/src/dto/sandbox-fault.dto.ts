import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { FAULT_KINDS, FaultKind } from '../sandbox-faults';

/** `POST /dgii-sandbox/_admin/faults`: the next `next` matching DGII calls fail with `kind`. */
export class SandboxFaultDto {
  @IsInt()
  @Min(1)
  @Max(10_000)
  next!: number;

  @IsIn(FAULT_KINDS)
  kind!: FaultKind;

  /** Substring of the request path, case-insensitive (e.g. `recepcion/api`, `validarsemilla`). */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  path?: string;

  /** Let this many matching calls through before the fault applies (a rejection at case N). */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10_000)
  skip?: number;
}
