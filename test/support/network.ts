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
 * `beforeClientWrite(n)`, so a test can act at an exact point of a conversation (for example
 * terminate the backend in the middle of a discovery) without timing guesses.
 */
export async function startProxy(
  target: { host: string; port: number },
  beforeClientWrite: (writeNumber: number) => Promise<void> = () => Promise.resolve(),
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
        await beforeClientWrite(n);
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
