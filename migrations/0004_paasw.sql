-- paasw pulls (/sms/deliver) hand out one app's pullable reports, oldest first. reports_pullable
-- (tenant_id, id) alone would make every pull step over the tenant's reports of its other apps
-- (other dialects with no pull API and no push URL leave theirs pullable until retention).
CREATE INDEX reports_pullable_app ON reports (tenant_id, app_id, id) WHERE pulled_at IS NULL AND push_id IS NULL;
