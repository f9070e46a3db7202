// Every report a test writes or builds must match the published schema.
import { expect } from 'chai';
import { checkReport } from '../../../src/report/report-schema.ts';

export function expectValidReport(value: unknown): void {
  const checked = checkReport(value);
  expect(checked, 'error' in checked ? checked.error : '').to.have.property('report');
}
