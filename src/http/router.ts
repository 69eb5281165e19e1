// A dialect's router: itty-router plus the dialect's own shapes for "not found", "method not
// allowed" and unexpected faults, so that no route can leak a stack trace or a foreign error shape.
// Every route is declared once, with its documentation: the router registers exactly what
// /openapi.json documents.
import { Router, type IRequest, type RouterType } from "itty-router";
import type { RouteDoc } from "../openapi/registry";
import { logFault } from "./respond";
import { beginIdempotency, finishIdempotency, replayOf, wantsIdempotency } from "../core/idempotency";
import { readBytes } from "./body";
import { CoreError } from "../core/errors";
import { Attempt, StaleSnapshot } from "../core/snapshots";

/** Hashes the request of an Idempotency-Key from a clone, capped as the route's own read is (a body over the cap is refused by the route). */
async function idempotencyBefore(req: IRequest): Promise<void> {
  if (!wantsIdempotency(req)) return;
  const body = req.body ? await readBytes(req.clone()) : new Uint8Array(0);
  if (body !== null) await beginIdempotency(req, body);
}

export type Handler = (req: IRequest, env: Env, ctx: ExecutionContext) => Promise<Response> | Response;
export type DialectRouter = RouterType<IRequest, [Env, ExecutionContext]>;

/** One endpoint: its documentation (built from the schemas that validate it) and its handler. */
export interface Route {
  doc: RouteDoc;
  handle: Handler;
  /**
   * The handler ends in acceptSend, whose batch checks the tenant's revision: its authentication
   * may be served from a snapshot (core/snapshots.ts), and a refusal decided on one is decided
   * again on fresh rows.
   */
  sends?: boolean;
}

/** Marks a send route (Route.sends). */
export const sending = (r: Route): Route => ({ ...r, sends: true });

/** The current run of a request's handler (core/snapshots.ts), for its authentication and acceptSend. */
const attempts = new WeakMap<Request, Attempt>();
export const attemptOf = (req: Request): Attempt | undefined => attempts.get(req);

/** Runs after the first: a change racing a fresh read is rare, two in a row rarer still. */
const MAX_RERUNS = 2;

/**
 * Runs `r` again, on fresh rows and only while nothing was committed, when its answer rested on rows
 * that changed: the send's batch found the tenant's revision moved since they were read
 * (StaleSnapshot: a snapshot's, or a change that raced this request's own read), or a refusal was
 * decided on a snapshot. The body is read once (http/body.ts keeps its bytes for the rerun).
 */
function withReruns(r: Route): Handler {
  return async (req, env, ctx) => {
    for (let run = 0; ; run++) {
      const attempt = new Attempt(r.sends === true, run > 0);
      attempts.set(req, attempt);
      try {
        return await r.handle(req, env, ctx);
      } catch (e) {
        const rerun = e instanceof StaleSnapshot || (attempt.reused && (e instanceof Refusal || e instanceof CoreError));
        if (!rerun || attempt.committed || run === MAX_RERUNS) throw e;
      }
    }
  };
}

/**
 * A refusal already shaped as its API documents it. Each dialect's errors.ts builds these (its code
 * table decides status and body); the router answers with the response as it is.
 */
export class Refusal extends Error {
  override readonly name = "Refusal";
  constructor(
    readonly response: Response,
    message: string,
  ) {
    super(message);
  }
}

export interface DialectShapes {
  name: string;
  notFound: (req: Request) => Response;
  methodNotAllowed: (req: Request, allowed: string[]) => Response;
  /** Maps a thrown error (core errors included) to a response; unknown errors get the server-error shape. */
  onError: (e: unknown, req: Request) => Response;
}

/** An API's router and the documentation of every route it registers. */
export interface DialectKit {
  router: DialectRouter;
  docs: RouteDoc[];
}

/** OpenAPI's /v1/codes/{msg_id}/valid as itty-router's /v1/codes/:msg_id/valid. */
const ittyPath = (path: string): string => path.replace(/\{(\w+)\}/g, ":$1");

/** Middleware: answers (a refusal) or lets the request through to its route. */
export type Guard = (req: IRequest, env: Env) => Promise<Response | undefined> | Response | undefined;

/**
 * Builds an API's router from its route declarations. `guard` runs before every route, known or not
 * (e.g. the operator API's token check, so an unauthenticated caller learns nothing).
 */
export function dialectRouter(shapes: DialectShapes, routes: Route[], guard?: Guard): DialectKit {
  const router = newRouter(shapes);
  if (guard) router.all("*", guard);
  for (const r of routes) router[r.doc.method](ittyPath(r.doc.path), withReruns(r));
  return { router, docs: routes.map((r) => r.doc) };
}

function newRouter(shapes: DialectShapes): DialectRouter {
  const router: DialectRouter = Router<IRequest, [Env, ExecutionContext]>({
    // Idempotency-Key (src/core/idempotency.ts), the same for every dialect: read and hashed before
    // the route, a stored answer replayed in place of an error, the answer stored after the route.
    before: [idempotencyBefore],
    catch: (e, req) => replayOf(e) ?? (e instanceof Refusal ? e.response : shapes.onError(e, req)),
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
