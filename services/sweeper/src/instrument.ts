// Imported first by main.ts: OpenTelemetry must patch http, pg and ioredis before they load.
import { startTelemetry } from '@paperwire/telemetry';

startTelemetry('sweeper');
