// The store's reads as the domain objects the core works with (the store returns rows; core maps them).
import * as apps from "../../src/store/apps";
import * as messages from "../../src/store/messages/read";
import * as tenants from "../../src/store/tenants";
import type { TenantDb } from "../../src/store/db";
import { toApp } from "../../src/core/apps";
import { toMessage } from "../../src/core/messages";
import { toTenant } from "../../src/core/tenants";
import type { App, Dialect, Message, Tenant } from "../../src/core/types";

export const getAppByKey = async (db: D1Database, dialect: Dialect, key: string): Promise<App | null> => {
  const row = await apps.getAppByKey(db, dialect, key);
  return row && toApp(row);
};

export const getApp = async (t: TenantDb, appId: string): Promise<App | null> => {
  const row = await apps.getApp(t, appId);
  return row && toApp(row);
};

export const getTenant = async (t: TenantDb): Promise<Tenant | null> => {
  const row = await tenants.getTenant(t);
  return row && toTenant(row);
};

export const getMessage = async (t: TenantDb, messageId: string): Promise<Message | null> => {
  const row = await messages.getMessage(t, messageId);
  return row && toMessage(row);
};
