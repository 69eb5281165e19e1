#!/usr/bin/env node
// A local SMSC for demos and tests: the `smpp` package's SMPP 3.4 server (farhadi/node-smpp) with
// accounts, submit_sm answered with message ids, delivery receipts after a delay with the simulator's
// reserved-number outcomes, injected replies (MO, concatenated too), faults on demand, and a record
// of every PDU received. Controlled over HTTP on loopback:
//   GET  /records?systemId=ID        what that account's binds sent and were sent (PDU fields, raw hex), unbinds, keep-alives
//   POST /accounts {systemId, password}
//   POST /faults {systemId, refuseBinds?, throttle?, silent?, dropAfter?, responseDelayMs?, receiptDelayMs?, noReceipts?}
//   POST /mo {systemId, from, to, text, coding?: "gsm"|"ucs2"|"latin1", parts?: n}   → {statuses}
//   POST /receipt {systemId, id, stat}                                               → {status}
//   POST /drop {systemId}   closes that account's connections at once
// Usage: npm run smsc [-- --port 2775 --control 2776 --system-id edgesms --password secret --receipt-delay-ms 1000]
import http from "node:http";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

const require = createRequire(import.meta.url);
const smpp = require("smpp");
const { PDU } = require("smpp/lib/pdu");

// Keep every PDU's octets: the tests assert on what was on the wire, not on the library's decoding.
const fromBuffer = PDU.prototype.fromBuffer;
PDU.prototype.fromBuffer = function (buffer) {
  this.raw = Buffer.from(buffer);
  return fromBuffer.call(this, buffer);
};

// The simulator's reserved numbers (src/carriers/rules.ts): +861390000 + these suffixes.
const SPECIAL_PREFIX = "861390000";
const RULES = {
  "0001": { kind: "reject" },
  "0004": { kind: "report", stat: "UNDELIV" },
  "0005": { kind: "report", stat: "REJECTD" },
  "0006": { kind: "report", stat: "REJECTD" },
  "0007": { kind: "report", stat: "REJECTD" },
  "0008": { kind: "report", stat: "REJECTD" },
  "0009": { kind: "report", stat: "UNKNOWN" },
  "0096": { kind: "silent" },
  "0098": { kind: "transient", until: 2 },
  "0099": { kind: "report", stat: "DELIVRD", slow: true },
};
const outcomeOf = (dest) => (dest.startsWith(SPECIAL_PREFIX) && dest.length === SPECIAL_PREFIX.length + 4 ? RULES[dest.slice(-4)] : undefined) ?? { kind: "report", stat: "DELIVRD" };
const STATES = { ENROUTE: 1, DELIVRD: 2, EXPIRED: 3, DELETED: 4, UNDELIV: 5, ACCEPTD: 6, UNKNOWN: 7, REJECTD: 8 };
const ESME = { ROK: 0, RINVPASWD: 0x0e, RINVSYSID: 0x0f, RINVDSTADR: 0x0b, RSYSERR: 0x08, RTHROTTLED: 0x58, RBINDFAIL: 0x0d };

/** Reads submit_sm's mandatory fields from its octets (SMPP 3.4 §4.4.1). */
function parseSubmit(raw) {
  let at = 16;
  const cstr = () => {
    const end = raw.indexOf(0, at);
    const s = raw.subarray(at, end).toString("latin1");
    at = end + 1;
    return s;
  };
  const u8 = () => raw[at++];
  const f = { serviceType: cstr(), sourceTon: u8(), sourceNpi: u8(), sourceAddr: cstr(), destTon: u8(), destNpi: u8(), destAddr: cstr() };
  Object.assign(f, { esmClass: u8(), protocolId: u8(), priority: u8(), schedule: cstr(), validity: cstr(), registeredDelivery: u8(), replaceIfPresent: u8(), dataCoding: u8(), smDefaultMsgId: u8() });
  const len = u8();
  const sm = raw.subarray(at, at + len);
  let udh = null;
  if (f.esmClass & 0x40 && sm.length > 0) {
    const h = sm.subarray(1, 1 + sm[0]);
    if (h[0] === 0x00 && h[1] === 3) udh = { ref: h[2], total: h[3], seq: h[4] };
  }
  return { ...f, smLength: len, shortMessage: sm.toString("hex"), udh, textLength: udh ? len - 1 - sm[0] : len };
}

const pad = (n) => String(n).padStart(2, "0");
const smppDate = (d) => `${pad(d.getUTCFullYear() % 100)}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}`;

const ASCII_GSM = /^[A-Za-z0-9 .,!?'"()+\-:;#%&*/<=>\n\r]*$/;
function encodeText(text, coding) {
  if (coding === "ucs2" || (coding === undefined && !ASCII_GSM.test(text))) return { dc: 8, enc: (t) => Buffer.from(t, "utf16le").swap16() };
  if (coding === "latin1") return { dc: 3, enc: (t) => Buffer.from(t, "latin1") };
  return { dc: 0, enc: (t) => Buffer.from(t, "latin1") }; // the ASCII letters, digits and these signs have the same GSM codes
}

export async function startSmsc(opts = {}) {
  const host = opts.host ?? "127.0.0.1";
  const accounts = new Map(Object.entries(opts.accounts ?? { edgesms: "secret" }));
  const receiptDelayMs = opts.receiptDelayMs ?? 1000;
  const state = new Map(); // systemId → { faults, submits, binds, delivers, enquireLinks, sessions, outstanding, maxOutstanding, seenDest }
  let nextId = 0x1000;
  let moRef = 0;
  const acct = (id) => {
    if (!state.has(id)) state.set(id, { faults: {}, submits: [], binds: [], delivers: [], enquireLinks: 0, unbinds: 0, sessions: new Set(), outstanding: 0, maxOutstanding: 0, seenDest: new Map(), pendingReceipts: [] });
    return state.get(id);
  };

  function deliver(a, fields) {
    const session = [...a.sessions][0];
    if (!session) {
      a.pendingReceipts.push(fields);
      return Promise.resolve(null);
    }
    return new Promise((resolve) => {
      const sent = session.deliver_sm(fields, (resp) => {
        a.delivers.push({ at: Date.now(), esmClass: fields.esm_class, status: resp.command_status, text: Buffer.isBuffer(fields.short_message) ? fields.short_message.toString("hex") : null });
        resolve(resp.command_status);
      });
      if (!sent) resolve(null);
    });
  }

  function receipt(a, submit, id, stat) {
    const now = new Date();
    const text = `id:${id} sub:001 dlvrd:${stat === "DELIVRD" ? "001" : "000"} submit date:${smppDate(new Date(submit.at))} done date:${smppDate(now)} stat:${stat} err:${stat === "DELIVRD" ? "000" : "001"} text:`;
    return deliver(a, {
      source_addr_ton: submit.destTon, source_addr_npi: submit.destNpi, source_addr: submit.destAddr,
      dest_addr_ton: submit.sourceTon, dest_addr_npi: submit.sourceNpi, destination_addr: submit.sourceAddr,
      esm_class: 0x04, data_coding: 0, short_message: Buffer.from(text, "latin1"),
      receipted_message_id: id, message_state: STATES[stat],
    });
  }

  const server = smpp.createServer({}, (session) => {
    let a = null;
    let received = 0;
    // Answers go out at once, not held back by Nagle's algorithm waiting for the peer's delayed ACK.
    session.socket.setNoDelay(true);
    session.on("error", () => {});
    session.on("close", () => a?.sessions.delete(session));
    const onBind = (pdu) => {
      const id = pdu.system_id;
      const b = acct(id);
      let status = ESME.ROK;
      if (!accounts.has(id)) status = ESME.RINVSYSID;
      else if (accounts.get(id) !== pdu.password) status = ESME.RINVPASWD;
      else if (b.faults.refuseBinds) status = ESME.RBINDFAIL;
      b.binds.push({ at: Date.now(), command: pdu.command, status, systemType: pdu.system_type });
      session.send(pdu.response({ command_status: status, system_id: "edgesms-smsc" }));
      if (status !== ESME.ROK) return setTimeout(() => session.close(), 50);
      a = b;
      a.sessions.add(session);
      const waiting = a.pendingReceipts.splice(0);
      for (const r of waiting) deliver(a, r);
    };
    session.on("bind_transceiver", onBind);
    session.on("bind_transmitter", onBind);
    session.on("enquire_link", (pdu) => {
      if (a) a.enquireLinks++;
      session.send(pdu.response());
    });
    session.on("unbind", (pdu) => {
      if (a) a.unbinds++;
      session.send(pdu.response());
      setTimeout(() => session.close(), 20);
    });
    session.on("submit_sm", (pdu) => {
      if (!a) return session.send(pdu.response({ command_status: 0x04 }));
      const f = a.faults;
      const submit = { at: Date.now(), seq: pdu.sequence_number, ...parseSubmit(pdu.raw) };
      a.submits.push(submit);
      received++;
      a.outstanding++;
      a.maxOutstanding = Math.max(a.maxOutstanding, a.outstanding);
      if (f.dropAfter !== undefined && received >= f.dropAfter) {
        delete f.dropAfter;
        submit.answer = "dropped";
        a.outstanding = 0;
        return session.destroy();
      }
      if (f.silent > 0) {
        f.silent--;
        submit.answer = "none";
        return;
      }
      const answer = (status, id) => {
        a.outstanding--;
        // "lost": the connection was gone by the time the answer was due, so the client never saw it.
        const sent = session.send(pdu.response(status === 0 ? { message_id: id } : { command_status: status }));
        submit.answer = sent ? status : "lost";
        if (id && sent) submit.messageId = id;
      };
      setTimeout(() => {
        if (f.throttle > 0) {
          f.throttle--;
          return answer(ESME.RTHROTTLED);
        }
        const rule = outcomeOf(submit.destAddr);
        if (rule.kind === "reject") return answer(ESME.RINVDSTADR);
        if (rule.kind === "transient") {
          const n = (a.seenDest.get(submit.destAddr) ?? 0) + 1;
          a.seenDest.set(submit.destAddr, n);
          if (n <= rule.until) return answer(ESME.RSYSERR);
        }
        const id = (nextId++).toString(16);
        answer(0, id);
        if (rule.kind === "silent" || f.noReceipts || !(submit.registeredDelivery & 1)) return;
        const delay = f.receiptDelayMs ?? receiptDelayMs;
        setTimeout(() => receipt(a, submit, id, rule.stat), rule.slow ? Math.max(30_000, delay * 10) : delay);
      }, f.responseDelayMs ?? 0);
    });
  });

  const json = (res, status, body) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
  const control = http.createServer(async (req, res) => {
    const url = new URL(req.url, "http://smsc");
    let body = {};
    if (req.method === "POST") {
      let raw = "";
      for await (const c of req) raw += c;
      try {
        body = raw ? JSON.parse(raw) : {};
      } catch {
        return json(res, 400, { error: "invalid JSON" });
      }
    }
    const a = acct(body.systemId ?? url.searchParams.get("systemId") ?? "edgesms");
    if (req.method === "GET" && url.pathname === "/records") {
      const { faults, submits, binds, delivers, enquireLinks, unbinds, maxOutstanding, outstanding } = a;
      return json(res, 200, { faults, submits, binds, delivers, enquireLinks, unbinds, maxOutstanding, outstanding, connected: a.sessions.size });
    }
    if (req.method !== "POST") return json(res, 404, { error: "not found" });
    switch (url.pathname) {
      case "/accounts":
        accounts.set(body.systemId, body.password);
        return json(res, 200, { ok: true });
      case "/faults":
        for (const k of ["refuseBinds", "throttle", "silent", "dropAfter", "responseDelayMs", "receiptDelayMs", "noReceipts"]) {
          if (k in body) a.faults[k] = body[k];
        }
        return json(res, 200, { faults: a.faults });
      case "/drop":
        for (const s of a.sessions) s.destroy();
        return json(res, 200, { dropped: a.sessions.size });
      case "/receipt": {
        const submit = a.submits.find((s) => s.messageId === body.id) ?? { at: Date.now(), destTon: 1, destNpi: 1, destAddr: "0", sourceTon: 0, sourceNpi: 1, sourceAddr: "0" };
        return json(res, 200, { status: await receipt(a, submit, body.id, body.stat ?? "DELIVRD") });
      }
      case "/mo": {
        const { dc, enc } = encodeText(body.text, body.coding);
        const parts = Math.max(1, body.parts ?? 1);
        const per = Math.ceil(body.text.length / parts);
        const ref = moRef++ & 0xff;
        const statuses = [];
        for (let i = 0; i < parts; i++) {
          const chunk = enc(body.text.slice(i * per, (i + 1) * per));
          const sm = parts > 1 ? Buffer.concat([Buffer.from([5, 0, 3, ref, parts, i + 1]), chunk]) : chunk;
          statuses.push(
            await deliver(a, {
              source_addr_ton: 1, source_addr_npi: 1, source_addr: body.from.replace(/^\+/, ""),
              dest_addr_ton: 0, dest_addr_npi: 1, destination_addr: body.to,
              esm_class: parts > 1 ? 0x40 : 0, data_coding: dc, short_message: sm,
            }),
          );
        }
        return json(res, 200, { statuses });
      }
      default:
        return json(res, 404, { error: "not found" });
    }
  });

  await new Promise((r) => server.listen(opts.port ?? 0, host, r));
  await new Promise((r) => control.listen(opts.controlPort ?? 0, host, r));
  return {
    smppPort: server.address().port,
    controlPort: control.address().port,
    async close() {
      for (const a of state.values()) for (const s of a.sessions) s.destroy();
      await Promise.all([new Promise((r) => server.close(r)), new Promise((r) => control.close(r))]);
    },
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const arg = (name, dflt) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : dflt;
  };
  const s = await startSmsc({
    port: Number(arg("port", 2775)),
    controlPort: Number(arg("control", 2776)),
    accounts: { [arg("system-id", "edgesms")]: arg("password", "secret") },
    receiptDelayMs: Number(arg("receipt-delay-ms", 1000)),
  });
  console.log(`SMSC listening: SMPP on 127.0.0.1:${s.smppPort}, control on http://127.0.0.1:${s.controlPort}`);
}
