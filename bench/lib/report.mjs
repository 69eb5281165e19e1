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

/** The single-send rows (≥ 0.5× /insert) and the code rows (≥ 0.4×), by id. */
const SINGLES = ["jpush_single", "paasw_send_1", "paasw_template_1", "huawei_single", "smsapi_industry"];
const CODES = ["jpush_codes", "jpush_voice_codes"];

/** Each target as { name, measured, met } (met null when the row could not run). */
export function targets(res) {
  const insert = res.baseline_insert_ref ?? res.baseline_insert;
  const valid = res.jpush_valid;
  const batch = res.jpush_batch_1000;
  const e2e = res.end_to_end;
  const peer = res.kannel?.versus;
  const mem = res.memory;
  const ran = (x) => x && !x.na;
  // The accept's durable work with no gateway code (baseline /accept-floor), for scale.
  const floorRow = res.baseline_floor;
  const floorNote = ran(floorRow) && ran(insert) ? `; the accept's durable work alone (/accept-floor) ${(floorRow.rps / insert.rps).toFixed(2)}×` : "";
  const share = (ids, floor, name) => {
    const got = ids.filter((id) => ran(res[id]));
    if (!got.length || !ran(insert)) return { name, measured: "n/a", met: null };
    const parts = got.map((id) => `${id} ${(res[id].rps / insert.rps).toFixed(2)}×`);
    return { name, measured: `${parts.join(", ")} (of ${insert.rps} req/s)${floorNote}`, met: got.every((id) => res[id].rps >= floor * insert.rps) };
  };
  return [
    {
      name: "end to end ≥ 1.0 × Kannel spool delivered msg/s (same run, mean of the runs before and after) and ≥ 10,000 msg/s",
      measured: ran(e2e)
        ? `${e2e.delivered}/${e2e.messages} delivered in ${e2e.seconds} s = ${e2e.msgPerSec} msg/s; ${ran(peer) ? `Kannel ${peer.peerMsgPerSec} msg/s → edgesms ÷ Kannel ${peer.ratio}×` : peer?.na ?? "Kannel n/a"}`
        : e2e?.na ?? "n/a",
      met: ran(e2e) ? e2e.finished && e2e.msgPerSec >= 10_000 && (ran(peer) ? peer.ratio >= 1 : true) : null,
    },
    share(SINGLES, 0.5, "every single send req/s ≥ 0.5 × baseline /insert (mean of its two runs)"),
    share(CODES, 0.4, "/v1/codes and /v1/voice_codes req/s ≥ 0.4 × baseline /insert"),
    {
      name: "/v1/codes/{id}/valid p99 ≤ 1.5 × baseline /insert p99",
      measured: ran(valid) && ran(insert) ? `p99 ${valid.p99} ms vs ${insert.p99} ms (${(valid.p99 / insert.p99).toFixed(2)}×; p50 ${valid.p50} ms)` : valid?.na ?? "n/a",
      met: ran(valid) && ran(insert) ? valid.p99 <= 1.5 * insert.p99 : null,
    },
    {
      name: "1000-recipient /v1/messages/batch accepted < 100 ms (mean; ≥ 10,000 msg/s)",
      measured: ran(batch) ? `mean ${batch.mean} ms, p50 ${batch.p50}, p99 ${batch.p99} ms; ${batch.msgPerSec} msg/s` : batch?.na ?? "n/a",
      met: ran(batch) ? batch.mean < 100 : null,
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
    peer: res.kannel ?? null,
    memory: res.memory ?? null,
    targets: ts,
  };
  writeFileSync(path, JSON.stringify(doc, null, 2) + "\n");
}
