// Imported by main.ts right after the telemetry: the extractor's V8 flags (METRIC_EXTRACTOR_V8_FLAGS), set before any
// of its code runs.
import { setFlagsFromString } from 'node:v8';
import { METRIC_EXTRACTOR_V8_FLAGS } from '@paperwire/config';

/** Sets each flag of METRIC_EXTRACTOR_V8_FLAGS (through `set`, node:v8's setFlagsFromString unless a test gives one). */
export function applyExtractorV8Flags(set: (flag: string) => void = setFlagsFromString): readonly string[] {
  for (const flag of METRIC_EXTRACTOR_V8_FLAGS) set(flag);
  return METRIC_EXTRACTOR_V8_FLAGS;
}

applyExtractorV8Flags();
