export { ecfQrUrl, rfceQrUrl } from './qr-url';
export type { EcfQrParams, QrEnvironment, RfceQrParams } from './qr-url';
