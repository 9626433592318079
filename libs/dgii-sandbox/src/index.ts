export * from './dgii-sandbox.module';
export * from './sandbox.options';
export { FAULT_KINDS, SANDBOX_CALLS } from './sandbox-faults';
export type { FaultKind, FaultRule, SandboxCallKind, SandboxStatsSnapshot } from './sandbox-faults';
export { SandboxFaults, SandboxStats } from './sandbox-faults';
export { SANDBOX_ROUTE_PREFIX, SandboxDgiiEndpoints } from './sandbox-dgii.endpoints';
export { SandboxDirectory } from './sandbox-directory';
export type { SandboxDirectoryEntry } from './sandbox-directory';
