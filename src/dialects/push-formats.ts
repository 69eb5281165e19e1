// The push format of each dialect (one line each); a dialect without one gets the generic JSON body.
import type { PushFormats } from "../core/push";
import { jpushPushFormat } from "./jpush/push-format";
import { paaswPushFormat } from "./paasw/push-format";

export const PUSH_FORMATS: PushFormats = {
  jpush: jpushPushFormat,
  paasw: paaswPushFormat,
};
