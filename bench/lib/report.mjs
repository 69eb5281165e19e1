// Turns the measured rows into the one table the bench prints (Markdown, so docs/bench.md can
// quote it), the target checks (reported with ✓/✗, never asserted), and bench/results.json.
import { writeFileSync } from "node:fs";
import { cpus } from "node:os";

const ratio = (a, b) => (a == null || !b ? "" : `${(a / b).toFixed(2)}×`);
const fmt = (n) => (n == null ? "" : String(n));

function line(cells) {
  return `| ${cells.join(" | ")} |`;
}

export function table(rows, base) {
  const head = ["row", "conns", "req/s", "p50 ms", "p99 ms", "msg/s", "req/s vs base", "p50 vs base", "p99 vs base", "refused"];
  const out = [line(head), line(head.map(() => "---"))];
  for (const r of rows) {
    const m = r.result;
    if (!m || m.na) {
      out.push(line([r.label, "", m?.na ?? "n/a", "", "", "", "", "", "", ""]));
      continue;
    }
    const b = r.vs ? base[r.vs] : null;
    out.push(
      line([
        r.vs ? `${r.label} (vs ${r.vs === "insert" ? "/insert" : "/const"})` : r.label,
        fmt(m.connections),
        fmt(m.rps),
        fmt(m.p50),
        fmt(m.p99),
        r.recipients ? fmt(m.msgPerSec) : "",
        b && !b.na ? ratio(m.rps, b.rps) : "",
        b && !b.na ? ratio(m.p50, b.p50) : "",
        b && !b.na ? ratio(m.p99, b.p99) : "",
        m.refused ? `${m.refused} (${m.refusedSample})` : fmt(m.refused ?? 0),
      ]),
    );
  }
  return out.join("\n");
}

/** Each target as { name, goal, measured, met } (met null when the row could not run). */
export function targets(res) {
  const single = res.jpush_single;
  const insert = res.baseline_insert_ref ?? res.baseline_insert;
  const valid = res.jpush_valid;
  const batch = res.jpush_batch_1000;
  const e2e = res.end_to_end;
  const mem = res.memory;
  const ran = (x) => x && !x.na;
  return [
    {
      name: "JPush single send req/s ≥ 0.5 × baseline /insert (mean of its two runs)",
      measured: ran(single) && ran(insert) ? `${single.rps} vs ${insert.rps} req/s (${(single.rps / insert.rps).toFixed(2)}×)` : single?.na ?? "n/a",
      met: ran(single) && ran(insert) ? single.rps >= 0.5 * insert.rps : null,
    },
    {
      name: "/v1/codes/{id}/valid p99 < 20 ms at 16 connections",
      measured: ran(valid) ? `p99 ${valid.p99} ms (p50 ${valid.p50} ms)` : valid?.na ?? "n/a",
      met: ran(valid) ? valid.p99 < 20 : null,
    },
    {
      name: "1000-recipient /v1/messages/batch accepted < 100 ms (mean; ≥ 10,000 msg/s)",
      measured: ran(batch) ? `mean ${batch.mean} ms, p50 ${batch.p50}, p99 ${batch.p99} ms; ${batch.msgPerSec} msg/s` : batch?.na ?? "n/a",
      met: ran(batch) ? batch.mean < 100 : null,
    },
    {
      name: "end to end ≥ 6,000 msg/s delivered on the simulator",
      measured: ran(e2e) ? `${e2e.delivered}/${e2e.messages} delivered in ${e2e.seconds} s = ${e2e.msgPerSec} msg/s` : e2e?.na ?? "n/a",
      met: ran(e2e) ? e2e.finished && e2e.msgPerSec >= 6000 : null,
    },
    {
      name: "workerd RSS flat over 60 s (end ≤ start × 1.2 + 20 MB)",
      measured: ran(mem)
        ? `${mem.rssStartMb} MB → ${mem.rssEndMb} MB (anonymous ${mem.start?.anon} → ${mem.end?.anon} MB = ${mem.anonGrowthKbPerRequest} KB per request, file-backed ${mem.start?.file} → ${mem.end?.file} MB; ${mem.via})`
        : mem?.na ?? "n/a",
      met: ran(mem) ? mem.flat : null,
    },
  ];
}

export function targetLines(ts) {
  return ts.map((t) => `${t.met === null ? "–" : t.met ? "✓" : "✗"} ${t.name}: ${t.measured}`).join("\n");
}

export function writeResults(path, { rows, res, ts, started, notes, migrations }) {
  const doc = {
    date: new Date(started).toISOString(),
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version },
    migrations,
    notes,
    rows: rows.map((r) => ({ id: r.id, label: r.label, vs: r.vs ?? null, ...r.result })),
    baselineInsertMean: res.baseline_insert_ref ?? null,
    endToEnd: res.end_to_end ?? null,
    memory: res.memory ?? null,
    targets: ts,
  };
  writeFileSync(path, JSON.stringify(doc, null, 2) + "\n");
}
