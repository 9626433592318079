import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

/** Where `nest build api` puts the service's entry point. */
export const API_MAIN = resolve(__dirname, '../../dist/apps/api/apps/api/src/main.js');

export interface ApiServerOptions {
  /** Extra environment for the child, on top of this process's (undefined removes a variable). */
  env: Record<string, string | undefined>;
  /** Extra `node` flags (e.g. `--cpu-prof`). */
  nodeFlags?: string[];
  /** Another build's entry point, to compare two builds in one run; default API_MAIN. */
  main?: string;
}

/**
 * The built API as a child process on a free loopback port, so the load generator in this
 * process never shares the server's event loop.
 */
export class ApiServer {
  private output: string[] = [];
  private exited: Promise<number | null>;

  private constructor(
    private readonly child: ChildProcess,
    readonly baseUrl: string,
  ) {
    const keep = (chunk: Buffer) => {
      this.output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      if (this.output.length > 200) this.output = this.output.slice(-100);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise((done) => child.once('exit', (code) => done(code)));
  }

  static async start(options: ApiServerOptions): Promise<ApiServer> {
    const main = options.main ?? API_MAIN;
    if (!existsSync(main)) throw new Error(`${main} is missing: run \`npx nest build api\` first`);
    const port = await freePort();
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port) };
    for (const [name, value] of Object.entries(options.env)) {
      if (value === undefined) delete env[name];
      else env[name] = value;
    }
    const child = spawn(process.execPath, [...(options.nodeFlags ?? []), main], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const server = new ApiServer(child, `http://127.0.0.1:${port}`);
    // Last resort: never leave the child behind if this process ends or is interrupted.
    process.once('exit', () => child.kill('SIGKILL'));
    for (const signal of ['SIGINT', 'SIGTERM'] as const)
      process.once(signal, () => {
        child.kill('SIGKILL');
        process.exit(130);
      });
    try {
      await server.waitForHealth(30_000);
    } catch (error) {
      await server.stop();
      throw error;
    }
    return server;
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error('server child has no pid');
    return this.child.pid;
  }

  /** The server child's CPU time so far (user + system), from /proc; undefined where there is none. */
  cpuMs(): number | undefined {
    return cpuMsIn(`/proc/${this.pid}/stat`);
  }

  /**
   * CPU time of the server's main thread alone (its event loop), from /proc/<pid>/task/<pid>:
   * the thread that saturates first, while RSA runs on libuv's pool beside it.
   */
  mainThreadCpuMs(): number | undefined {
    return cpuMsIn(`/proc/${this.pid}/task/${this.pid}/stat`);
  }

  /** The last lines the server wrote (for error reports). */
  recentOutput(): string {
    return this.output.slice(-20).join('\n');
  }

  get outputLines(): number {
    return this.output.length;
  }

  /** Sends `signal` and waits for the child to exit (SIGKILL after 10 s). */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }

  private async waitForHealth(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null)
        throw new Error(`server exited with ${this.child.exitCode}:\n${this.recentOutput()}`);
      try {
        if ((await fetch(`${this.baseUrl}/health`)).ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((done) => setTimeout(done, 100));
    }
    throw new Error(`server not healthy after ${timeoutMs} ms:\n${this.recentOutput()}`);
  }
}

/** USER_HZ: 100 on every Linux this runs on (getconf CLK_TCK). */
const CLOCK_TICKS_PER_SECOND = 100;

/** User + system CPU of a process or thread: fields 14 and 15 of its stat file, after the parenthesised name. */
function cpuMsIn(statFile: string): number | undefined {
  try {
    const stat = readFileSync(statFile, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? done(address.port) : fail(new Error('no port')),
      );
    });
  });
}
