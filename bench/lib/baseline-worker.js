// The baseline Worker the bench compares edgesms against: the cheapest possible response and the
// cheapest durable write (one D1 INSERT of a row about the size of an edgesms message row).
export default {
  async fetch(req, env) {
    const { pathname } = new URL(req.url);
    if (req.method === "GET" && pathname === "/const") return Response.json({ ok: true });
    if (req.method === "POST" && pathname === "/insert") {
      const body = await req.json();
      const id = crypto.randomUUID();
      await env.DB.prepare("INSERT INTO rows (id, tenant_id, mobile, content, status, created_at) VALUES (?1, ?2, ?3, ?4, 'queued', ?5)")
        .bind(id, "tn_bench", String(body.mobile), `【边缘短信】您的订单${String(body.temp_para?.order ?? "")}已发货，请注意查收。`, Date.now())
        .run();
      return Response.json({ msg_id: id });
    }
    return new Response("not found", { status: 404 });
  },
};
