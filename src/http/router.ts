// A dialect's router: itty-router plus the dialect's own shapes for "not found", "method not
// allowed" and unexpected faults, so that no route can leak a stack trace or a foreign error shape.
import { Router, type IRequest, type RouterType } from "itty-router";
import { logFault } from "./respond";
import { beginIdempotency, finishIdempotency, replayOf, wantsIdempotency } from "../core/idempotency";
import { readBytes } from "./body";

/** Hashes the request of an Idempotency-Key from a clone, capped as the route's own read is (a body over the cap is refused by the route). */
async function idempotencyBefore(req: IRequest): Promise<void> {
  if (!wantsIdempotency(req)) return;
  const body = req.body ? await readBytes(req.clone()) : new Uint8Array(0);
  if (body !== null) await beginIdempotency(req, body);
}

export type Handler = (req: IRequest, env: Env, ctx: ExecutionContext) => Promise<Response> | Response;
export type DialectRouter = RouterType<IRequest, [Env, ExecutionContext]>;

export interface DialectShapes {
  name: string;
  notFound: (req: Request) => Response;
  methodNotAllowed: (req: Request, allowed: string[]) => Response;
  /** Maps a thrown error (core errors included) to a response; unknown errors get the server-error shape. */
  onError: (e: unknown, req: Request) => Response;
}

export function dialectRouter(base: string, shapes: DialectShapes): DialectRouter {
  const router: DialectRouter = Router<IRequest, [Env, ExecutionContext]>({
    base,
    // Idempotency-Key (src/core/idempotency.ts), the same for every dialect: read and hashed before
    // the route, a stored answer replayed in place of an error, the answer stored after the route.
    before: [idempotencyBefore],
    catch: (e, req) => replayOf(e) ?? shapes.onError(e, req),
    finally: [
      async (res: Response | undefined, req: IRequest, env: Env) => {
        if (res) {
          await finishIdempotency(env, req, res);
          return res;
        }
        const path = new URL(req.url).pathname;
        const allowed = router.routes
          .filter(([method, regex]) => method !== "ALL" && regex.test(path))
          .map(([method]) => method);
        return allowed.length > 0 ? shapes.methodNotAllowed(req, [...new Set(allowed)]) : shapes.notFound(req);
      },
    ],
  });
  return router;
}

/** For the onError of each dialect: log what was not a known refusal. */
export function logUnexpected(name: string, req: Request, e: unknown): void {
  logFault(name, req, e);
}
