import { complianceCsv, complianceQuery } from '#domain/compliance/compliance-report.ts';
import { csvResult, type HttpResult, httpRoute, wantsCsv } from '#platform/http/http-route.ts';
import { complianceService } from '#platform/wiring/management.ts';

const compliance = complianceService();

/**
 * GET /v1/reports/compliance — JSON, or CSV with `?format=csv` or `Accept: text/csv`. Reads
 * every live key once (see DynamoLiveKeys), in the store, never here.
 */
export const handler = httpRoute(
  { query: complianceQuery },
  async ({ query, headers }): Promise<HttpResult> => {
    const report = await compliance.report({ unusedDays: query.unusedDays });
    if (!wantsCsv(query.format, headers)) return { status: 200, body: report, headers: { vary: 'Accept' } };
    return csvResult(complianceCsv(report), `latchkey-compliance-${report.generatedAt.slice(0, 10)}.csv`);
  },
);
