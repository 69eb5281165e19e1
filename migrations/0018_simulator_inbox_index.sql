-- The simulator's inbox is listed through the messages sent to a mobile (messages_mobile, 0016):
-- its own index by mobile was a randomly placed page written per received message
-- (src/store/simulator.ts listInbox).
DROP INDEX simulator_inbox_mobile;
