// PUT /v1/schedule/{schedule_id} and PUT /v1/schedule/batch/{schedule_id}: a schedule replaced
// before it fires, atomically (old messages canceled and refunded, new ones billed, same id).
import { attemptOf, sending } from "../../http/router";
import { idempotencyOf } from "../../core/idempotency";
import { replacing } from "../../core/schedule";
import { json } from "../../http/respond";
import { jpushAuth } from "./auth";
import { acceptRecipients } from "./batch";
import { codes, jpushRoute } from "./errors";
import { scheduleIdOf } from "./input";
import { acceptMessage } from "./messages";
import { BATCH_DOC, BATCH_ERRORS, batchAnswer, ownSchedule, readBatch, readSingle, scheduleAt, SINGLE_DOC, SINGLE_ERRORS } from "./schedule";

const STATE_403 = codes("invalidScheduleId", "wrongScheduleStatus");

export const changeScheduleRoute = sending(jpushRoute(
  {
    method: "put",
    path: "/v1/schedule/{schedule_id}",
    summary: "Replace a schedule before it fires (single-recipient body)",
    description: "Atomic: the old messages are canceled and refunded and the new one billed in one D1 batch; the schedule_id stays. Once the cron released it (or it was deleted): 50029, nothing changes.",
    ...SINGLE_DOC,
    errors: { ...SINGLE_ERRORS, "403": `${SINGLE_ERRORS["403"]}; ${STATE_403}` },
  },
  async (req, env) => {
    const who = await jpushAuth(req, env);
    const id = scheduleIdOf(req);
    const input = await readSingle(req);
    const replace = replacing(await ownSchedule(env, who, id));
    await acceptMessage(env, who, input, { ...scheduleAt(who.tenant, input.send_time), idempotency: idempotencyOf(req), attempt: attemptOf(req), replace });
    return json({ schedule_id: id });
  },
));

/** With no recipient accepted nothing changes: the schedule keeps its old recipients. */
export const changeScheduleBatchRoute = sending(jpushRoute(
  {
    method: "put",
    path: "/v1/schedule/batch/{schedule_id}",
    summary: "Replace a schedule before it fires (batch body)",
    description: "As PUT /v1/schedule/{schedule_id}; refused recipients are listed. With no recipient accepted nothing changes.",
    ...BATCH_DOC,
    errors: { ...BATCH_ERRORS, "403": `${BATCH_ERRORS["403"]}; ${STATE_403}` },
  },
  async (req, env) => {
    const who = await jpushAuth(req, env);
    const id = scheduleIdOf(req);
    const input = await readBatch(req);
    const replace = replacing(await ownSchedule(env, who, id));
    const r = await acceptRecipients(env, who, input, { ...scheduleAt(who.tenant, input.send_time), idempotency: idempotencyOf(req), attempt: attemptOf(req), replace });
    return batchAnswer(id, r);
  },
));
