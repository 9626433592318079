import { describeReceptorRegistryContract } from '../testing/receptor-registry.contract';
import { MemoryReceptorRegistry } from './memory-receptor.registry';

describeReceptorRegistryContract('memory', () => new MemoryReceptorRegistry());
