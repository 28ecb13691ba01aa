/**
 * A TCP relay in front of a server, whose connections a test can cut: a
 * real forced disconnect of a client mid-stream, without touching the
 * client or the server.
 */
import { connect, createServer, type Server, type Socket } from "node:net";

export class CuttableProxy {
  private readonly server: Server;
  private readonly pairs = new Set<[Socket, Socket]>();
  /** Connections accepted so far. */
  accepted = 0;

  private constructor(server: Server) {
    this.server = server;
  }

  /** Listens on an ephemeral loopback port relaying to `targetPort`. */
  static async start(targetPort: number): Promise<CuttableProxy> {
    const server = createServer();
    const proxy = new CuttableProxy(server);
    server.on("connection", (client) => {
      proxy.accepted++;
      const upstream = connect(targetPort, "127.0.0.1");
      const pair: [Socket, Socket] = [client, upstream];
      proxy.pairs.add(pair);
      client.pipe(upstream);
      upstream.pipe(client);
      const drop = (): void => {
        proxy.pairs.delete(pair);
        client.destroy();
        upstream.destroy();
      };
      client.on("close", drop);
      upstream.on("close", drop);
      client.on("error", drop);
      upstream.on("error", drop);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    return proxy;
  }

  get url(): string {
    const a = this.server.address();
    return `http://127.0.0.1:${typeof a === "object" && a !== null ? a.port : 0}`;
  }

  /** Cuts every open connection at once (no close handshake). */
  cutAll(): void {
    for (const [a, b] of [...this.pairs]) {
      a.destroy();
      b.destroy();
    }
    this.pairs.clear();
  }

  async stop(): Promise<void> {
    this.cutAll();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}
