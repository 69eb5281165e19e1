// One run of the every-minute cron, as the runtime starts it. The run logs its summary as one JSON
// line (what an operator reads in production); tests capture and check it instead of printing it.
import { env } from "cloudflare:workers";
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { expect } from "vitest";
import worker from "../../src/index";

export async function cronTick(): Promise<Record<string, unknown>> {
  const ctx = createExecutionContext();
  const logged: unknown[][] = [];
  const log = console.log;
  console.log = (...a: unknown[]) => void logged.push(a);
  try {
    await worker.scheduled(createScheduledController({ cron: "* * * * *", scheduledTime: Date.now() }), env, ctx);
    await waitOnExecutionContext(ctx);
  } finally {
    console.log = log;
  }
  const summaries = logged.filter((a) => String(a[0]).includes('"event":"cron"'));
  // Anything else logged during the run is not the summary: pass it on as it was.
  for (const a of logged) if (!summaries.includes(a)) log(...a);
  expect(summaries).toHaveLength(1);
  return JSON.parse(String(summaries[0]![0])) as Record<string, unknown>;
}
