import type { Duplex } from 'node:stream';

/**
 * How much longer than the server's own statement timeout the client waits. While the network
 * works the server's cancel arrives first and the session is kept; only a stall reaches the
 * client-side deadline, which costs the session.
 */
export const SERVER_ANSWERS_FIRST_MS = 250;

/**
 * Bounds one driver operation on the client side. A database or network that stops answering
 * would otherwise leave the call pending forever, and with it every call queued behind it on the
 * same session. On expiry `abandon` runs — it destroys the connection, so a late answer never
 * reaches a session that is used again — and the call fails with the error it returns.
 */
export function withDeadline<T>(work: Promise<T>, ms: number, abandon: () => Error): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(abandon()), ms);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/**
 * Says goodbye on a connection (`goodbye` sends the protocol's quit message) and waits at most
 * `ms` for the server to close the socket, then destroys it: a goodbye lost in a stalled network
 * must not keep the socket, and with it the process, alive.
 */
export async function endWithin(socket: Duplex, goodbye: () => Promise<unknown>, ms: number): Promise<void> {
  if (!socket.destroyed) {
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    await withDeadline(
      Promise.all([goodbye().catch(() => undefined), closed]),
      ms,
      () => new Error('no goodbye from the server'),
    ).catch(() => undefined);
  }
  socket.destroy();
}
