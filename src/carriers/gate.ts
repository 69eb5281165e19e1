// One Durable Object per carrier: its circuit breaker and its throughput cap (a token bucket),
// shared by every Worker instance that dispatches to it.
import { DurableObject } from "cloudflare:workers";

export class CarrierGate extends DurableObject<Env> {}
