// Each dialect's traits as core needs them (src/core/dialect-registry.ts): credential formats, push
// formats, verification codes. Called once by src/index.ts at wiring time.
import { registerDialect } from "../core/dialect-registry";
import { randomAlnum, randomDigits, randomHex } from "../core/crypto";
import { jpushPushFormat } from "./jpush/push-format";
import { paaswPushFormat } from "./paasw/push-format";

export function registerDialects(): void {
  // JPush appKey/masterSecret (and devKey/devSecret) are 24 lowercase hex characters: the official
  // Java SDK refuses anything else. The masterSecret stays recoverable (the console shows it again).
  registerDialect("jpush", {
    credential: { key: () => randomHex(12), secret: () => randomHex(12), recoverable: true },
    pushFormat: jpushPushFormat,
    holdsCodes: true,
  });
  registerDialect("jpush_dev", { credential: { key: () => randomHex(12), secret: () => randomHex(12), recoverable: false } });
  // paasw: appId 10 digits, secret 32 hex (its document's examples).
  registerDialect("paasw", {
    credential: { key: () => randomDigits(10), secret: () => randomHex(16), recoverable: false },
    pushFormat: paaswPushFormat,
  });
  // Huawei: an IAM user name and password, and the project id its SMS paths carry.
  registerDialect("huawei", {
    credential: { key: () => `edgesms_${randomHex(4)}`, secret: () => randomAlnum(24), recoverable: false, projectId: () => randomHex(16) },
    accessKeys: true,
  });
  // smsapi's bearer key carries its own id: "<key id>.<secret>".
  registerDialect("smsapi", { credential: { key: () => randomHex(8), secret: () => randomAlnum(40), recoverable: false } });
}
