import { complianceCsv, complianceQuery } from '#domain/compliance/compliance-report.ts';
import { type HttpResult, httpRoute } from '#platform/http/http-route.ts';
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
    const csv =
      query.format === 'csv' || (query.format === undefined && /\btext\/csv\b/i.test(headers.accept ?? ''));
    if (!csv) return { status: 200, body: report, headers: { vary: 'Accept' } };
    const day = report.generatedAt.slice(0, 10);
    return {
      status: 200,
      text: complianceCsv(report),
      headers: {
        'content-type': 'text/csv; charset=utf-8; header=present',
        'content-disposition': `attachment; filename="latchkey-compliance-${day}.csv"`,
        vary: 'Accept',
      },
    };
  },
);
