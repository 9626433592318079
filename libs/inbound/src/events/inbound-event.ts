/**
 * The seam between the DGII-facing receptor (it turns each received document into an event) and
 * delivery to the integrator (it stores, pushes and lets the integrator pull events). PROTOCOL §8.
 */
export type InboundEventType = 'ecf.received' | 'acecf.received';

export type InboundEventStatus = 'pending' | 'delivered' | 'failed';

/** What the receptor learnt from the document it received (read from the bytes as received). */
export interface InboundDocumentFacts {
  tipoeCF?: string;
  eNCF?: string;
  rncEmisor?: string;
  razonSocialEmisor?: string;
  rncComprador?: string;
  fechaEmision?: string;
  montoTotal?: string;
  /** ACECF only: DGII's Estado of the commercial approval (1 aceptado, 2 rechazado). */
  estado?: string;
}

/** The acknowledgement the receptor answered with (ecf.received only). */
export interface InboundArecf {
  estado: string;
  codigoMotivoNoRecibido?: string;
  signedXml: string;
}

/** A received document, as the receptor hands it over. `xml` is the bytes as received, never re-serialised. */
export interface NewInboundEvent {
  type: InboundEventType;
  /** The receptor's RNC (whose URL received it). */
  rnc: string;
  /** The API key that owns the receptor: events are visible to that key only. */
  apiKeyId: string;
  receivedAt: string;
  document: InboundDocumentFacts;
  xml: string;
  arecf?: InboundArecf;
}

/** The event as stored and delivered: the body POSTed to the callback URL is this minus `apiKeyId`. */
export interface InboundEvent extends NewInboundEvent {
  id: string;
  status: InboundEventStatus;
  attempts: number;
}

/**
 * Where the receptor puts what it received. `accept` resolves once the event is held (stored and
 * scheduled for delivery); when the store is full it rejects with a 503 `RECEPTOR_UNAVAILABLE`
 * AppError, and the receptor answers the sender 503: an undelivered event is never dropped.
 */
export abstract class InboundEventSink {
  abstract accept(event: NewInboundEvent): Promise<InboundEvent>;
}
