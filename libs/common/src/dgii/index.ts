// DGII wire facts, one home (PROTOCOL §1, §3.3, §4, §5). The sandbox keeps its own copies on purpose.
export * from './dgii-amounts';
export * from './dgii-environment';
export * from './dgii-file-name';
export * from './santo-domingo-time';
