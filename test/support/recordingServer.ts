import net from 'node:net';

/**
 * A fake PostgreSQL server on loopback that records every byte it receives. It answers a startup
 * message by asking for the password in clear text (what a hostile server would do) or, with
 * `scram`, by offering SCRAM-SHA-256 as PostgreSQL does by default; then it refuses the login, so a
 * test can tell exactly which user, database and password a client sent it. It listens on loopback
 * unless given another of this machine's own addresses.
 */
export async function startRecordingPostgres(
  auth: 'cleartext' | 'scram' = 'cleartext',
  host = '127.0.0.1',
): Promise<{
  port: number;
  /** Every byte received so far, from every connection, as text. */
  received(): string;
  /** How many connections were opened. */
  connections(): number;
  close(): Promise<void>;
}> {
  const chunks: Buffer[] = [];
  const sockets = new Set<net.Socket>();
  let opened = 0;
  const server = net.createServer((socket) => {
    opened++;
    sockets.add(socket);
    socket.on('error', () => undefined);
    let pending = Buffer.alloc(0);
    let started = false;
    let challenged = false;
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      if (started) {
        // SCRAM: the client's first message gets the server's challenge, as PostgreSQL answers it.
        if (auth === 'scram' && !challenged) {
          challenged = true;
          socket.write(authentication(11, Buffer.from('r=fake-nonce,s=c2FsdA==,i=4096', 'utf8')));
        } else socket.end(errorResponse('28P01', 'password authentication failed'));
        return;
      }
      pending = Buffer.concat([pending, chunk]);
      while (!started && pending.length >= 8 && pending.length >= pending.readInt32BE(0)) {
        const length = pending.readInt32BE(0);
        const code = pending.readInt32BE(4);
        pending = pending.subarray(length);
        if (code === 80877103 || code === 80877104) {
          socket.write('N'); // no TLS, no GSS: go on in clear text
        } else {
          started = true;
          socket.write(
            auth === 'scram'
              ? authentication(10, Buffer.from('SCRAM-SHA-256\0\0', 'utf8'))
              : authentication(3, Buffer.alloc(0)),
          );
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    received: () => Buffer.concat(chunks).toString('utf8'),
    connections: () => opened,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** An Authentication message: 3 asks for the password in clear text, 10 offers SASL, 11 continues it. */
function authentication(kind: number, data: Buffer): Buffer {
  const head = Buffer.alloc(9);
  head.write('R', 0);
  head.writeInt32BE(data.length + 8, 1);
  head.writeInt32BE(kind, 5);
  return Buffer.concat([head, data]);
}

function errorResponse(code: string, message: string): Buffer {
  const body = Buffer.from(`SFATAL\0VFATAL\0C${code}\0M${message}\0\0`, 'utf8');
  const head = Buffer.alloc(5);
  head.write('E', 0);
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}
