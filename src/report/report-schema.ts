// Checks a parsed report.json against the published JSON Schema (report.schema.json) with ajv.
import { Ajv2020 } from 'ajv/dist/2020.js';
import schema from './report.schema.json' with { type: 'json' };
import type { RunReport } from './report-types.ts';

export { schema as reportSchema };

// Formats are documented in the schema; times are checked by their pattern, so no format plugin is needed.
const validate = new Ajv2020({ allErrors: false, validateFormats: false }).compile<RunReport>(schema);

/** The report, or why it is not one: the first schema error with its JSON path. */
export function checkReport(value: unknown): { report: RunReport } | { error: string } {
  if (validate(value)) return { report: value };
  const first = validate.errors?.[0];
  if (!first) return { error: 'does not match the report schema' };
  return { error: `${first.instancePath || '/'} ${first.message ?? 'is invalid'}` };
}
