import { queryOptions } from '@tanstack/react-query';
import type { ApiClient } from './client.ts';

export const SECTIONS = [
  'rotationOverdue',
  'neverUsed',
  'unused',
  'noExpiry',
  'expiringSoon',
  'retiringPepper',
] as const;
export type Section = (typeof SECTIONS)[number];

/** One key in a section of GET /v1/reports/compliance, with its section's day count. */
export interface ComplianceEntry {
  keyId: string;
  name: string;
  owner: string;
  type: string;
  status: string;
  environment: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  rotationDueAt: string;
  pepperVersion: string;
  daysOverdue?: number;
  ageDays?: number;
  daysUnused?: number;
  daysLeft?: number;
  hoursLeft?: number;
}

export type Counts = { liveKeys: number } & Record<Section, number>;

export interface ComplianceReport extends Record<Section, ComplianceEntry[]> {
  generatedAt: string;
  unusedDays: number;
  expiringWithinDays: number;
  currentPepperVersion: string;
  totals: Counts;
  owners: (Counts & { owner: string })[];
  pepperVersions: { version: string; keys: number; current: boolean }[];
  /** Unused successors of a rotation in the last week: new, so not counted as never used. */
  newSuccessors: number;
}

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
