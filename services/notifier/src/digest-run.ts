import type { Job } from 'bullmq';
import type { StoredDigestSchedule } from '@paperwire/db';
import type { DigestScheduleOptions } from '@paperwire/notifications';

export type { StoredDigestSchedule };

/** When a digest run was due, and whether it was asked for outside the schedule. */
export interface DigestRun {
  firedAt: Date;
  onDemand: boolean;
}

// Job-scheduler iterations are named `repeat:<scheduler key>:<due ms>` by BullMQ.
const SCHEDULED_JOB_ID = /^repeat:.+:(\d+)$/;

/**
 * When a `send-digest` job was due. A scheduler's job carries its due time in its id (its `timestamp`
 * is when the previous run created it), so a late run still gets its own period; any other job is an
 * on-demand digest (CLI) covering the current period up to when it was enqueued.
 */
export function digestRunOf(job: Pick<Job, 'id' | 'timestamp'>): DigestRun {
  const due = SCHEDULED_JOB_ID.exec(job.id ?? '');
  if (due) return { firedAt: new Date(Number(due[1])), onDemand: false };
  return { firedAt: new Date(job.timestamp), onDemand: true };
}

/** The fields the schedule functions accept: their zod schema is strict and rejects limit and sort. */
export function scheduleOptions(s: StoredDigestSchedule): DigestScheduleOptions {
  return {
    hour: s.hour,
    minute: s.minute ?? 0,
    timeZone: s.timeZone,
    ...(s.weekday !== undefined ? { weekday: s.weekday } : {}),
  };
}
