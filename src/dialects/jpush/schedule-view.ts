// GET and DELETE /v1/schedule/{schedule_id}: a schedule as JPush shows it, and its deletion before
// it fires (its messages canceled and refunded).
import { deleteSchedule } from "../../core/schedule";
import { isChinaMobile, nationalNumber } from "../../core/phone";
import { formatLocalDateTime } from "../../core/time";
import { json } from "../../http/respond";
import { jpushAuth } from "./auth";
import { codes, jpushRoute, refuse } from "./errors";
import { scheduleIdOf } from "./input";
import { ownSchedule } from "./schedule";
import { ScheduleView } from "./schemas";

export const getScheduleRoute = jpushRoute(
  {
    method: "get",
    path: "/v1/schedule/{schedule_id}",
    summary: "A schedule: send_time, temp_id and its recipients",
    response: ScheduleView,
    errors: { "403": codes("invalidScheduleId") },
  },
  async (req, env) => {
    const who = await jpushAuth(req, env);
    const id = scheduleIdOf(req);
    const s = await ownSchedule(env, who, id);
    if (s.deleted) throw refuse("invalidScheduleId", `schedule ${id} was deleted`);
    return json({
      schedule_id: s.id,
      send_time: formatLocalDateTime(s.sendAt, who.tenant.timezone),
      temp_id: s.templateId,
      // Mainland numbers in the 11-digit form JPush clients send them in.
      recipients: s.messages.map((m) => ({ msg_id: m.id, mobile: isChinaMobile(m.mobile) ? nationalNumber(m.mobile) : m.mobile, temp_para: m.params ?? {} })),
    });
  },
);

export const deleteScheduleRoute = jpushRoute(
  {
    method: "delete",
    path: "/v1/schedule/{schedule_id}",
    summary: "Delete a schedule before it fires: its messages are canceled and refunded (200, empty body)",
    errors: { "403": codes("invalidScheduleId", "wrongScheduleStatus") },
  },
  async (req, env) => {
    const who = await jpushAuth(req, env);
    const id = scheduleIdOf(req);
    await deleteSchedule(env, who.tenant.id, await ownSchedule(env, who, id));
    // As the template DELETE: 200, JSON content type, empty body (what the SDKs expect).
    return new Response(null, { status: 200, headers: { "content-type": "application/json" } });
  },
);
