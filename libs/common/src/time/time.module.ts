import { Module } from '@nestjs/common';
import { Clock, SystemClock } from './clock';

/** Provides the Clock port; tests override it with a ManualClock. */
@Module({ providers: [{ provide: Clock, useClass: SystemClock }], exports: [Clock] })
export class TimeModule {}
