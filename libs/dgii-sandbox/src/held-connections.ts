import { Injectable, OnModuleDestroy } from '@nestjs/common';
import type { Socket } from 'node:net';

/**
 * Connections the `timeout` fault leaves unanswered. Each is closed after `holdMs` at the latest
 * and all of them when the module stops, so a held request never keeps the process alive.
 */
@Injectable()
export class HeldConnections implements OnModuleDestroy {
  private readonly held = new Map<Socket, NodeJS.Timeout>();

  hold(socket: Socket | null | undefined, holdMs: number): void {
    if (!socket || socket.destroyed) return;
    const timer = setTimeout(() => socket.destroy(), holdMs);
    timer.unref();
    this.held.set(socket, timer);
    socket.once('close', () => {
      clearTimeout(timer);
      this.held.delete(socket);
    });
  }

  size(): number {
    return this.held.size;
  }

  onModuleDestroy(): void {
    for (const [socket, timer] of this.held) {
      clearTimeout(timer);
      socket.destroy();
    }
    this.held.clear();
  }
}
