import type { ComplianceReport } from '@latchkey/client/types';
import { queryOptions } from '@tanstack/react-query';
import { api } from './client.ts';

export const COMPLIANCE_PATH = '/v1/reports/compliance';

export const complianceQuery = () =>
  queryOptions({
    queryKey: ['reports', 'compliance'] as const,
    queryFn: () => api<ComplianceReport>('GET', COMPLIANCE_PATH),
  });

/** The report as CSV, fetched with the token (a plain link could not send it). */
export const complianceCsv = () =>
  api<string>('GET', COMPLIANCE_PATH, {
    query: { format: 'csv' },
    headers: { accept: 'text/csv' },
    text: true,
  });
