import type { ComplianceReport } from '@latchkey/client/types';
import { queryOptions } from '@tanstack/react-query';
import type { ApiClient } from './client.ts';

export const COMPLIANCE_PATH = '/reports/compliance';

export const complianceQuery = (api: ApiClient) =>
  queryOptions({
    queryKey: ['reports', 'compliance'] as const,
    queryFn: () => api.request<ComplianceReport>('GET', COMPLIANCE_PATH),
  });

/** The report as CSV, fetched with the token (a plain link could not send it). */
export const complianceCsv = (api: ApiClient) =>
  api.request<string>('GET', COMPLIANCE_PATH, {
    query: { format: 'csv' },
    headers: { accept: 'text/csv' },
    text: true,
  });
