// One SMPP 3.4 bind: a Durable Object that holds the outbound TCP connection to the SMSC (the only
// writer of its socket), binds as a transceiver, submits within a window and a throughput cap, and
// turns deliver_sm into receipts and replies. (Being built: see src/carriers/smpp/README in the issue.)
import { DurableObject } from "cloudflare:workers";

export class SmppBind extends DurableObject<Env> {}
