import { Module } from '@nestjs/common';
import { RiService } from './ri.service';

/** The printed representation (issue 12). Stateless: no stores, no config. */
@Module({ providers: [RiService], exports: [RiService] })
export class RiModule {}
