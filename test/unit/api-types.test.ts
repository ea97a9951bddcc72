import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as Contract from '@latchkey/client/types';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type { auditEntrySchema } from '../../functions/domain/audit/audit-entry.ts';
import type { complianceReportSchema } from '../../functions/domain/compliance/compliance-report.ts';
import type { lifecycleEventSchema } from '../../functions/domain/events/event-answers.ts';
import type {
  apiKeySchema,
  createdKeySchema,
  keyPageSchema,
  rotatedKeySchema,
} from '../../functions/domain/keys/key-answers.ts';
import type { keyQuotaSchema } from '../../functions/domain/plans/quota-service.ts';
import type { portalSessionViewSchema } from '../../functions/domain/portal/portal-sessions.ts';
import type { roleSchema } from '../../functions/domain/roles/role-service.ts';
import type { sweepResultSchema } from '../../functions/domain/rotation/rotation-sweep.ts';
import type { Same } from '../../functions/domain/shared/answers.ts';
import type { errorAnswerSchema } from '../../functions/domain/shared/errors.ts';
import type { usageOverviewSchema } from '../../functions/domain/usage/usage-answers.ts';
import type { verifyAnswerSchema } from '../../functions/domain/verify/verify-answer.ts';

/**
 * The API's types, as the CLI and the dashboard read them, are the contract's: generated from the
 * OpenAPI document (packages/client), which is generated from the schemas the service validates
 * and answers with. The type-level checks fail `npm run typecheck`; the others fail here.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));

describe('the types the clients read', () => {
  it("are the service's own answers, through the document", () => {
    expectTypeOf<Contract.ApiKey>().toEqualTypeOf<z.output<typeof apiKeySchema>>();
    expectTypeOf<Contract.CreatedKey>().toEqualTypeOf<z.output<typeof createdKeySchema>>();
    expectTypeOf<Contract.RotatedKey>().toEqualTypeOf<z.output<typeof rotatedKeySchema>>();
    expectTypeOf<Contract.KeyPage>().toEqualTypeOf<z.output<typeof keyPageSchema>>();
    expectTypeOf<Contract.KeyQuota>().toEqualTypeOf<z.output<typeof keyQuotaSchema>>();
    expectTypeOf<Contract.Role>().toEqualTypeOf<z.output<typeof roleSchema>>();
    expectTypeOf<Contract.AuditEntry>().toEqualTypeOf<z.output<typeof auditEntrySchema>>();
    expectTypeOf<Contract.SweepResult>().toEqualTypeOf<z.output<typeof sweepResultSchema>>();
    expectTypeOf<Contract.UsageOverview>().toEqualTypeOf<z.output<typeof usageOverviewSchema>>();
    expectTypeOf<Contract.ComplianceReport>().toEqualTypeOf<z.output<typeof complianceReportSchema>>();
    expectTypeOf<Contract.VerifyResult>().toEqualTypeOf<z.output<typeof verifyAnswerSchema>>();
    // An event's detail keeps fields beyond the listed ones (an index signature): compared as the domain compares.
    expectTypeOf<
      Same<Contract.LifecycleEvent, z.output<typeof lifecycleEventSchema>>
    >().toEqualTypeOf<true>();
    expectTypeOf<Contract.PortalSession>().toEqualTypeOf<z.output<typeof portalSessionViewSchema>>();
    expectTypeOf<Contract.ErrorResponse>().toEqualTypeOf<z.output<typeof errorAnswerSchema>>();
  });

  it('are defined once: neither the CLI nor the dashboard declares one of them again', () => {
    const generated = readFileSync(join(root, 'packages/client/src/types.ts'), 'utf8');
    const names = [...generated.matchAll(/^export type (\w+) = components\['schemas'\]/gm)].map(
      (m) => m[1] as string,
    );
    expect(names).toEqual(expect.arrayContaining(['ApiKey', 'CreatedKey', 'Role', 'ComplianceSection']));
    const files = (dir: string): string[] =>
      readdirSync(join(root, dir)).flatMap((name) => {
        const path = `${dir}/${name}`;
        if (statSync(join(root, path)).isDirectory()) return files(path);
        return /\.tsx?$/.test(name) ? [path] : [];
      });
    const declared = ['cli/src', 'web/src'].flatMap(files).flatMap((file) => {
      const source = readFileSync(join(root, file), 'utf8');
      return names
        .filter((name) =>
          new RegExp(`\\b((interface|enum|class)\\s+${name}\\b|type\\s+${name}\\s*[<=])`).test(source),
        )
        .map((name) => `${file} declares ${name}`);
    });
    expect(declared).toEqual([]);
  });
});
