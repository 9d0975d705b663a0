import net from 'node:net';

/** A loopback TCP server that accepts connections and never answers: a database that hangs. */
export async function startSilentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  return listenOnLoopback(server, sockets);
}

/** A loopback port nothing listens on: connecting to it is refused at once. */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * A loopback TCP proxy to a real server. Before forwarding the client's n-th write it awaits
 * `beforeClientWrite(n, bytes)`, so a test can act at an exact point of a conversation (for example
 * terminate the backend in the middle of a discovery) without timing guesses, or see what was sent.
 */
export async function startProxy(
  target: { host: string; port: number },
  beforeClientWrite: (writeNumber: number, bytes: Buffer) => Promise<void> = () => Promise.resolve(),
  port = 0,
): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    sockets.add(client).add(upstream);
    let writes = 0;
    let queue = Promise.resolve();
    client.on('data', (chunk) => {
      const n = ++writes;
      queue = queue.then(async () => {
        await beforeClientWrite(n, chunk);
        if (!upstream.destroyed) upstream.write(chunk);
      });
    });
    upstream.on('data', (chunk) => client.destroyed || client.write(chunk));
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  return listenOnLoopback(server, sockets, port);
}

/** Listens on a loopback port; `close` destroys the open sockets first, so it never waits on a client. */
async function listenOnLoopback(
  server: net.Server,
  sockets: Set<net.Socket>,
  port = 0,
): Promise<{ port: number; close(): Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A loopback proxy whose network can stall (hold every byte, both ways) and come back. */
export interface StallingProxy {
  port: number;
  /** Stalls before forwarding the first client write whose text contains `marker`; resolves at that moment. */
  stallOn(marker: string): Promise<void>;
  /** Stalls now. */
  stall(): void;
  /** The network is back: held bytes go through, and so does everything after. */
  resume(): void;
  close(): Promise<void>;
}

/**
 * A loopback TCP proxy to a real server that stops forwarding on a signal, in the middle of a
 * session, without closing anything: what a dead route or a frozen VPN looks like to a client.
 * New connections are accepted while stalled and stall too. The marker lets a test stall at an
 * exact point of a conversation (`SET SESSION`, `PREPARE`, a catalog query) without timing guesses.
 */
export async function startStallingProxy(target: { host: string; port: number }): Promise<StallingProxy> {
  const sockets = new Set<net.Socket>();
  let stalled = false;
  /** What a stall holds back: bytes, and the close of a connection, which a dead route does not carry either. */
  let held: (() => void)[] = [];
  let armed: { marker: string; hit(): void } | undefined;
  const later = (action: () => void): void => {
    if (stalled) held.push(action);
    else action();
  };
  const forward = (to: net.Socket, chunk: Buffer): void => later(() => to.destroyed || to.write(chunk));
  // Half-open sockets, so a goodbye (FIN) is answered by the real server, never by the proxy.
  const server = net.createServer({ allowHalfOpen: true }, (client) => {
    const upstream = net.connect({ port: target.port, host: target.host, allowHalfOpen: true });
    sockets.add(client).add(upstream);
    client.on('end', () => later(() => upstream.end()));
    upstream.on('end', () => later(() => client.end()));
    client.on('data', (chunk) => {
      if (armed && chunk.toString('latin1').includes(armed.marker)) {
        stalled = true;
        armed.hit();
        armed = undefined;
      }
      forward(upstream, chunk);
    });
    upstream.on('data', (chunk) => forward(client, chunk));
    const end = () =>
      later(() => {
        client.destroy();
        upstream.destroy();
      });
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  const listening = await listenOnLoopback(server, sockets);
  return {
    ...listening,
    stallOn: (marker) => new Promise<void>((hit) => (armed = { marker, hit })),
    stall: () => {
      stalled = true;
    },
    resume: () => {
      stalled = false;
      for (const action of held) action();
      held = [];
    },
  };
}
