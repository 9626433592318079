import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { DGII_ENVIRONMENTS, DgiiEnvironment } from '@app/config';

export class StatusQueryDto {
  @ApiPropertyOptional({ enum: DGII_ENVIRONMENTS, default: 'CERTIFICATION' })
  @IsOptional()
  @IsIn(DGII_ENVIRONMENTS)
  environment?: DgiiEnvironment;
}

export class StatusParamsDto {
  @ApiProperty({ example: 'd2b6e27c-3908-46f3-afaa-2207b9501b4b' })
  @Matches(/^[A-Za-z0-9-]{1,64}$/, { message: 'trackId must be DGII trackId (letters, digits, dashes)' })
  trackId!: string;
}
