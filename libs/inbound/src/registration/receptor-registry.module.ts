import { Module } from '@nestjs/common';
import { TimeModule } from '@app/common';
import { MemoryReceptorRegistry } from './memory-receptor.registry';
import { ReceptorRegistry } from './receptor.registry';
import { ReceptorSigners } from './receptor-signers';

/**
 * The registrations and attached signers, in a module of their own so event delivery (which
 * reads `ReceptorRegistry.get(rnc)` for the callback URL and secret) can import it without
 * importing the receptor.
 */
@Module({
  imports: [TimeModule],
  providers: [{ provide: ReceptorRegistry, useClass: MemoryReceptorRegistry }, ReceptorSigners],
  exports: [ReceptorRegistry, ReceptorSigners],
})
export class ReceptorRegistryModule {}
