import { EventEmitter } from 'node:events';
import { onShutdownSignal } from './http-server.drain';

describe('onShutdownSignal', () => {
  it('starts the shutdown once, on SIGTERM or SIGINT, whichever comes first', () => {
    const source = new EventEmitter();
    const started: NodeJS.Signals[] = [];
    onShutdownSignal(
      (signal) => {
        started.push(signal);
        return Promise.resolve();
      },
      source as unknown as Pick<NodeJS.Process, 'on'>,
    );
    source.emit('SIGINT');
    source.emit('SIGTERM');
    source.emit('SIGINT');
    expect(started).toEqual(['SIGINT']);
    // Later signals are swallowed while the drain runs, instead of killing the process mid-drain.
    expect(source.listenerCount('SIGTERM')).toBe(1);
  });
});
