// Every carrier type the gateway can talk to, by the `type` of /admin/v1/carriers.
import type { CarrierKind, CarrierType } from "./types";
import { simulatorKind } from "./simulator";
import { smppKind } from "./smpp/kind";
import { aliyunKind } from "./aliyun/kind";
import { tencentKind } from "./tencent/kind";
import { twilioKind } from "./twilio/kind";

export const CARRIER_KINDS: Partial<Record<CarrierType, CarrierKind>> = {
  simulator: simulatorKind as unknown as CarrierKind,
  smpp: smppKind as unknown as CarrierKind,
  aliyun: aliyunKind as unknown as CarrierKind,
  tencent: tencentKind as unknown as CarrierKind,
  twilio: twilioKind as unknown as CarrierKind,
};

export const carrierKind = (type: CarrierType): CarrierKind | undefined => CARRIER_KINDS[type];
