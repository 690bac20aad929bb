// How every stand-in listens: an ephemeral port on 127.0.0.1, and a close() that also ends the
// connections still open (a keep-alive socket, or a request a test left stalled), so closing a
// stand-in never waits on a client and never leaves a handle behind for jest.
import * as http from 'http';
import { AddressInfo } from 'net';

export interface Loopback {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  close(): Promise<void>;
}

export async function listenOnLoopback(server: http.Server): Promise<Loopback> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
