// The few Node APIs the provider fakes (test/setup/provider-fakes.ts, run by vitest in Node, not in
// workerd) use; the project's types are the Workers runtime's, which have no node:http.
declare module "node:http" {
  interface IncomingMessage extends AsyncIterable<Uint8Array> {
    method?: string;
    url?: string;
    headers: Record<string, string | string[] | undefined>;
  }
  interface ServerResponse {
    writeHead(status: number, headers?: Record<string, string>): this;
    end(body?: string): void;
    destroyed: boolean;
  }
  interface Server {
    listen(port: number, host: string, cb: () => void): this;
    address(): { port: number } | string | null;
    close(cb?: (err?: Error) => void): this;
    closeAllConnections(): void;
  }
  export function createServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Server;
  export type { IncomingMessage, ServerResponse, Server };
}
declare module "node:crypto" {
  interface Hmac {
    update(data: string): Hmac;
    digest(encoding: "hex" | "base64"): string;
    digest(): Uint8Array;
  }
  export function createHmac(alg: string, key: string | Uint8Array): Hmac;
  export function createHash(alg: string): { update(data: string): { digest(encoding: "hex"): string } };
  export function randomBytes(n: number): { toString(encoding: "hex"): string };
  export function randomUUID(): string;
}
