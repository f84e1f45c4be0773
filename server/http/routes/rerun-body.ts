/**
 * The body of `POST /api/executions/:id/rerun`: nothing (or `{}`) for a plain rerun, `{ "resume": true }`
 * to resume from the last checkpoint. Closed like every input: another key is refused.
 */
import { ValidationError, type ValidationIssue } from '../../errors.js';

/** What a rerun request asks for. */
export interface RerunBody {
  /** Resume from the original's last checkpoint. Default false. */
  resume: boolean;
}

/**
 * Reads a parsed JSON body (`{}` when none was sent).
 * @throws ValidationError naming each bad or unknown key (`details.errors[].path`)
 */
export function parseRerunBody(body: unknown): RerunBody {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new ValidationError([
      { path: '', message: 'must be an object', keyword: 'type', params: { type: 'object' } },
    ]);
  }
  const issues: ValidationIssue[] = [];
  const { resume = false, ...others } = body as Record<string, unknown>;
  if (typeof resume !== 'boolean') {
    issues.push({
      path: '/resume',
      message: 'must be boolean',
      keyword: 'type',
      params: { type: 'boolean' },
    });
  }
  for (const key of Object.keys(others)) {
    issues.push({
      path: `/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`,
      message: 'must NOT have additional properties',
      keyword: 'additionalProperties',
      params: { additionalProperty: key },
    });
  }
  if (issues.length) throw new ValidationError(issues);
  return { resume: resume as boolean };
}
