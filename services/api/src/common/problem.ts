import { HttpException, HttpStatus } from '@nestjs/common';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** The Hugging Face-compatible routes (hf.controller.ts), whose errors are HF's `{"error": "…"}` (sendProblem). */
export const HF_PATH_PREFIX = '/api/';
const TYPE_BASE = 'https://paperwire.dev/problems/';

export interface ProblemError {
  /** query parameter, body pointer (/filters/topics) or header the error is about */
  field: string;
  detail: string;
}

/** An RFC 9457 problem document. */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: ProblemError[];
}

const TITLES: Record<number, [string, string]> = {
  400: ['validation', 'Bad Request'],
  401: ['unauthorized', 'Unauthorized'],
  403: ['forbidden', 'Forbidden'],
  404: ['not-found', 'Not Found'],
  405: ['method-not-allowed', 'Method Not Allowed'],
  409: ['conflict', 'Conflict'],
  413: ['payload-too-large', 'Payload Too Large'],
  414: ['uri-too-long', 'URI Too Long'],
  415: ['unsupported-media-type', 'Unsupported Media Type'],
  422: ['unprocessable', 'Unprocessable Content'],
  429: ['rate-limited', 'Too Many Requests'],
  431: ['request-header-fields-too-large', 'Request Header Fields Too Large'],
  500: ['internal', 'Internal Server Error'],
  503: ['unavailable', 'Service Unavailable'],
};

export function problemBody(status: number, detail?: string, errors?: ProblemError[]): ProblemBody {
  const [slug, title] = TITLES[status] ?? ['error', HttpStatus[status] ?? 'Error'];
  return {
    type: `${TYPE_BASE}${slug}`,
    title,
    status,
    ...(detail ? { detail } : {}),
    ...(errors && errors.length > 0 ? { errors } : {}),
  };
}

/** Thrown by handlers and guards; the filter renders it as application/problem+json. */
export class ProblemException extends HttpException {
  constructor(
    status: number,
    detail?: string,
    readonly errors?: ProblemError[],
    readonly headers: Record<string, string> = {},
  ) {
    super(problemBody(status, detail, errors), status);
    this.message = detail ?? this.message;
  }
}

export const badRequest = (detail: string, errors?: ProblemError[]) => new ProblemException(400, detail, errors);
export const notFound = (detail = 'no such resource') => new ProblemException(404, detail);
export const conflict = (detail: string) => new ProblemException(409, detail);
