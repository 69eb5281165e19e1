// The baseline Worker the bench compares edgesms against: the cheapest possible response, the
// cheapest durable write (one D1 INSERT of a row about the size of an edgesms message row), and the
// accept's durable work with no gateway logic at all (the floor a single send cannot go below).
const insertRow = (env, id, body) =>
  env.DB.prepare("INSERT INTO rows (id, tenant_id, mobile, content, status, created_at) VALUES (?1, ?2, ?3, ?4, 'queued', ?5)").bind(
    id,
    "tn_bench",
    String(body.mobile),
    `【边缘短信】您的订单${String(body.temp_para?.order ?? "")}已发货，请注意查收。`,
    Date.now(),
  );

export default {
  async fetch(req, env) {
    const { pathname } = new URL(req.url);
    if (req.method === "GET" && pathname === "/const") return Response.json({ ok: true });
    if (req.method === "POST" && pathname === "/insert") {
      const body = await req.json();
      const id = crypto.randomUUID();
      await insertRow(env, id, body).run();
      return Response.json({ msg_id: id });
    }
    if (req.method === "POST" && pathname === "/accept-floor") {
      // What a single send's accept writes, in the shapes of src/store (debit with its CHECK, ledger,
      // batch, message, statistics upsert, the app's spending counters) as ONE batch, then one queue
      // message. Nothing is read, validated, rendered or dispatched.
      const body = await req.json();
      const now = Date.now();
      const batch = crypto.randomUUID();
      await env.DB.batch([
        env.DB.prepare("UPDATE accounts SET balance = balance - 5, updated_at = ?1 WHERE id = 'tn_bench'").bind(now),
        env.DB.prepare("INSERT INTO ledger (tenant_id, amount, reason, batch_id, created_at) VALUES ('tn_bench', -5, 'send', ?1, ?2)").bind(batch, now),
        env.DB.prepare("INSERT INTO batches (id, tenant_id, size, amount, created_at) VALUES (?1, 'tn_bench', 1, 5, ?2)").bind(batch, now),
        insertRow(env, crypto.randomUUID(), body),
        env.DB.prepare(
          `INSERT INTO stats (tenant_id, hour, status, messages, amount) VALUES ('tn_bench', ?1, 'queued', 1, 5)
           ON CONFLICT (tenant_id, hour, status) DO UPDATE SET messages = messages + 1, amount = amount + 5`,
        ).bind(now - (now % 3_600_000)),
        env.DB.prepare("UPDATE apps SET spent_total = spent_total + 5 WHERE id = 'app_bench'"),
      ]);
      await env.QUEUE.send({ ids: [batch] });
      return Response.json({ msg_id: batch });
    }
    return new Response("not found", { status: 404 });
  },
  // The floor's queue messages are taken and dropped: the row measures the accept, not delivery.
  async queue(batch) {
    batch.ackAll();
  },
};
