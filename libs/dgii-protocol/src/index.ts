/**
 * The DGII protocol pieces shared by every party that plays DGII's side of a conversation: the
 * embedded sandbox today, the receptor next. DGII's answer formats (dates, seed XML, token
 * shape; PROTOCOL §1.4, §2), the multipart reader of its upload routes (PROTOCOL §1.2) and the
 * reader of the facts in a signed document (PROTOCOL §4–6). Plain functions, no Nest module:
 * who owns state (seeds, tokens) passes a Clock and keeps the instance.
 */
export * from './dgii-formats';
export * from './multipart.parser';
export * from './signed-document.reader';
export * from './dgii.authenticator';
export * from './receptor-paths';
