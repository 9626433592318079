import { Module } from '@nestjs/common';
import { XsdCheck } from './xsd-check.service';

/** The document engine's injectable part; building itself is pure functions (see ./builder). */
@Module({ providers: [XsdCheck], exports: [XsdCheck] })
export class XmlBuilderModule {}
