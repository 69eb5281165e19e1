// Starts the local SMSC (scripts/smsc.mjs, a real SMPP server) on loopback for the whole run and hands
// its ports to the tests: SMPP for the binds' connect(), HTTP for the control API (records, faults, MO).
import type { TestProject } from "vitest/node";
// @ts-expect-error: a plain ES module script without type declarations
import { startSmsc } from "../../scripts/smsc.mjs";

declare module "vitest" {
  export interface ProvidedContext {
    smsc: { host: string; smppPort: number; controlPort: number };
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const smsc = await startSmsc({ receiptDelayMs: 200 });
  project.provide("smsc", { host: "127.0.0.1", smppPort: smsc.smppPort, controlPort: smsc.controlPort });
  return () => smsc.close();
}
