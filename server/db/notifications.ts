/**
 * LISTEN on a channel, on either engine. PGlite (in its worker thread) delivers a transaction's
 * notifications with the result of its COMMIT, so a listener there never misses one. On a server a
 * dedicated connection (outside the pool) listens; when it drops, `onLost` says so at once and it
 * reconnects with a growing delay, calling `onReady` again: notifications sent meanwhile are lost,
 * so a listener must treat every `onReady` as "anything may have changed".
 */
import pg from 'pg';
import type { DatabaseHandle } from './client.js';

export interface ChannelHandlers {
  onNotify(payload: string): void;
  /** Listening (again): notifications from now on will arrive. */
  onReady(): void;
  /** Not listening: notifications may be missed until the next `onReady`. */
  onLost(error?: Error): void;
}

/** Reconnect delays on a server: 0.5 s doubling to 10 s. */
const FIRST_RETRY_MS = 500;
const LAST_RETRY_MS = 10_000;

/** Channel names are identifiers (LISTEN takes no parameters): only plain lower-case names. */
function checkedChannel(channel: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(channel)) throw new Error(`Bad channel name: ${channel}`);
  return channel;
}

export async function listenToChannel(
  handle: DatabaseHandle,
  channel: string,
  handlers: ChannelHandlers,
): Promise<void> {
  checkedChannel(channel);
  if (handle.pglite) {
    const pglite = handle.pglite;
    const unsubscribe = await pglite.listen(channel, (payload) => handlers.onNotify(payload));
    // A watchdog restart (a runaway statement) drops notifications sent meanwhile; the proxy
    // listens again before anyone else queries the new worker.
    pglite.onRestart(() => {
      handlers.onLost();
      handlers.onReady();
    });
    handle.onClose(async () => {
      handlers.onLost();
      await unsubscribe().catch(() => {});
    });
    handlers.onReady();
    return;
  }
  if (!handle.url) throw new Error('A server database handle without a URL cannot LISTEN');
  const listener = new ServerListener(handle.url, channel, handlers);
  handle.onClose(() => listener.close());
  await listener.connect();
}

class ServerListener {
  private client: pg.Client | null = null;
  private closed = false;
  private retryMs = FIRST_RETRY_MS;
  private retryTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly url: string,
    private readonly channel: string,
    private readonly handlers: ChannelHandlers,
  ) {}

  /** One attempt; failures schedule the next one instead of throwing (the service runs without). */
  async connect(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: 5_000 });
    client.on('notification', (message) => {
      if (message.channel === this.channel) this.handlers.onNotify(message.payload ?? '');
    });
    client.on('error', (error) => this.dropped(client, error));
    client.on('end', () => this.dropped(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${this.channel}`);
    } catch (error) {
      this.dropped(client, error as Error);
      return;
    }
    if (this.closed) {
      await client.end().catch(() => {});
      return;
    }
    this.client = client;
    this.retryMs = FIRST_RETRY_MS;
    this.handlers.onReady();
  }

  private dropped(client: pg.Client, error?: Error) {
    if (client !== this.client && this.client !== null) return;
    this.client = null;
    client.end().catch(() => {});
    this.handlers.onLost(error);
    if (this.closed || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.connect();
    }, this.retryMs);
    // A pending reconnect must not keep a finished process alive.
    this.retryTimer.unref();
    this.retryMs = Math.min(this.retryMs * 2, LAST_RETRY_MS);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = null;
    this.handlers.onLost();
    await client?.end().catch(() => {});
  }
}
