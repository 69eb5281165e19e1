// The JPush SMS v1 dialect's routes (/v1/…, also under /jpush): each declared once, with its
// documentation, in its endpoint file. Every refusal, unknown routes and faults included, is the
// document's `{"error": {"code", "message"}}` with the code table's HTTP status (errors.ts).
import { dialectRouter, type Route } from "../../http/router";
import { shapes } from "./errors";
import { appBalanceRoute, devBalanceRoute } from "./accounts";
import { batchRoute } from "./batch";
import { codesRoute } from "./codes";
import { replyRoute, reportRoute } from "./inquire";
import { messagesRoute } from "./messages";
import { scheduleBatchRoute, scheduleRoute } from "./schedule";
import { changeScheduleBatchRoute, changeScheduleRoute } from "./schedule-change";
import { deleteScheduleRoute, getScheduleRoute } from "./schedule-view";
import { createSignRoute, deleteSignRoute, getSignRoute, putSignRoute, updateSignRoute } from "./sign";
import { changeTemplateRoute, createTemplateRoute, deleteTemplateRoute, getTemplateRoute } from "./templates";
import { validRoute } from "./valid";
import { voiceCodesRoute } from "./voice-codes";

const ROUTES: Route[] = [
  codesRoute, voiceCodesRoute, validRoute,
  messagesRoute, batchRoute,
  scheduleRoute, scheduleBatchRoute, changeScheduleBatchRoute, changeScheduleRoute, getScheduleRoute, deleteScheduleRoute,
  createTemplateRoute, getTemplateRoute, changeTemplateRoute, deleteTemplateRoute,
  createSignRoute, updateSignRoute, putSignRoute, getSignRoute, deleteSignRoute,
  appBalanceRoute, devBalanceRoute,
  reportRoute, replyRoute,
];

export const { router, docs } = dialectRouter(shapes, ROUTES);
