import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { importedKeyId, isImportableSecret } from '#domain/keys/imported-secret.ts';
import { newKeyId, newSecret } from '#domain/keys/secret.ts';
import { hashSecret, parsePepperSet, secretMatches } from '#domain/keys/secret-hash.ts';
import {
  nextVersion,
  PepperService,
  readPepperDocument,
  retiredDocument,
  rotatedDocument,
} from '#domain/pepper/pepper-service.ts';
import { PepperChangedError, type PepperVault } from '#domain/shared/ports.ts';
import { type VerifyDeps, verify } from '#domain/verify/verify.ts';
import { rotationStep } from '#platform/aws/pepper-rotation-steps.ts';
import { FilePepperVault, SecretsManagerPepperVault } from '#platform/aws/pepper-vault.ts';
import { storedKey } from '../support/fixtures.ts';

const first = JSON.stringify({ version: '1', pepper: 'a'.repeat(40) });
const at = '2026-12-01T00:00:00.000Z';

describe('the pepper document', () => {
  it('rotates to the next version, keeping every old one and the import lookup key', () => {
    const v1 = readPepperDocument(first);
    const v2 = rotatedDocument(v1, 'b'.repeat(43), at);
    const v3 = rotatedDocument(v2, 'c'.repeat(43), at);
    expect(v3).toMatchObject({ version: '3', previous: { '1': 'a'.repeat(40), '2': 'b'.repeat(43) } });
    expect(v3.addedAt).toEqual({ '2': at, '3': at });
    const [s1, s3] = [parsePepperSet(first), parsePepperSet(JSON.stringify(v3))];
    // A secret hashed under version 1 still verifies after two rotations, and imported key IDs do not move.
    const secret = newSecret(newKeyId(), 'production');
    expect(secretMatches(secret, hashSecret(secret, s1), s3)).toBe(true);
    expect(importedKeyId('legacy-value-0123456789', s3)).toBe(importedKeyId('legacy-value-0123456789', s1));
    expect(nextVersion({ version: 'x', pepper: 'p', previous: { '7': 'q' } })).toBe('8');
  });

  it('retires a version from previous only', () => {
    const v2 = rotatedDocument(readPepperDocument(first), 'b'.repeat(43), at);
    expect(retiredDocument(v2, '1')).toMatchObject({ version: '2', previous: {} });
    expect(parsePepperSet(JSON.stringify(retiredDocument(v2, '1'))).byVersion.has('1')).toBe(false);
  });
});

describe('which secrets are looked up as imported keys', () => {
  const peppers = parsePepperSet(first);
  const counted = (record?: ReturnType<typeof storedKey>['record']) => {
    const reads: string[] = [];
    const deps: VerifyDeps = {
      getKey: async (id) => {
        reads.push(id);
        return record;
      },
      peppers: async () => peppers,
      now: () => new Date(),
      customRoles: async () => new Map(),
    };
    return { reads, deps };
  };

  it('garbage and broken Latchkey secrets are MALFORMED without a read', async () => {
    for (const secret of [
      'short',
      'has spaces in it but is long',
      'lk_live_notachecksum_xxxxxxxxxxxxxxxxxx',
      'é'.repeat(30),
    ]) {
      const { reads, deps } = counted();
      expect((await verify({ secret }, deps)).code).toBe('MALFORMED');
      expect(reads).toEqual([]);
      expect(isImportableSecret(secret)).toBe(false);
    }
  });

  it('an importable secret is one read by its derived key ID', async () => {
    const secret = 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789';
    const keyId = importedKeyId(secret, peppers);
    const { record } = storedKey(peppers, { keyId, imported: true, ...hashSecret(secret, peppers) });
    const { reads, deps } = counted(record);
    expect(await verify({ secret }, deps)).toMatchObject({ valid: true, key: { keyId } });
    expect(reads).toEqual([keyId]);
  });

  it('fetches the pepper again for a key under a version the cache has not seen', async () => {
    const v2 = parsePepperSet(JSON.stringify(rotatedDocument(readPepperDocument(first), 'b'.repeat(43), at)));
    const { record, secret } = storedKey(v2, {});
    const asked: (string | undefined)[] = [];
    const deps: VerifyDeps = {
      getKey: async () => record,
      peppers: async (need) => {
        asked.push(need);
        return need ? v2 : peppers;
      },
      now: () => new Date(),
      customRoles: async () => new Map(),
    };
    expect((await verify({ secret }, deps)).code).toBe('VALID');
    expect(asked).toEqual([undefined, '2']);
  });

  it('refuses a canary as a wrong secret and flags it, with its own secret or a made-up one', async () => {
    const { record, secret } = storedKey(peppers, { type: 'canary' });
    const { deps } = counted(record);
    for (const presented of [secret, newSecret(record.keyId, 'production')]) {
      const decision = await verify({ secret: presented }, deps);
      expect(decision).toMatchObject({
        valid: false,
        code: 'INVALID_SECRET',
        keyId: record.keyId,
        canary: { keyId: record.keyId },
      });
      expect(decision).not.toHaveProperty('key');
    }
  });
});

describe('the pepper provider (local file)', () => {
  it('reads the file again after this process changed it, and for an unseen version', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'pepper-')), 'pepper.json');
    writeFileSync(file, first);
    process.env.LATCHKEY_PEPPER_FILE = file;
    const { pepperProvider, peppersChanged } = await import('#platform/aws/pepper-provider.ts');
    const peppers = pepperProvider();
    expect((await peppers()).currentVersion).toBe('1');
    const v2 = JSON.stringify(rotatedDocument(readPepperDocument(first), 'b'.repeat(43), at));
    writeFileSync(file, v2);
    expect((await peppers()).currentVersion).toBe('1');
    expect((await peppers('2')).currentVersion).toBe('2');
    writeFileSync(file, JSON.stringify(rotatedDocument(readPepperDocument(v2), 'c'.repeat(43), at)));
    peppersChanged();
    expect((await peppers()).currentVersion).toBe('3');
  });
});

describe("Secrets Manager's four rotation steps", () => {
  const sm = mockClient(SecretsManagerClient);
  afterEach(() => sm.reset());
  const client = new SecretsManagerClient({ region: 'eu-west-1' });
  const tracked: string[] = [];
  const deps = { client, track: async (v: string) => void tracked.push(v), now: () => new Date(at) };
  const step = (Step: 'createSecret' | 'setSecret' | 'testSecret' | 'finishSecret') =>
    rotationStep({ Step, SecretId: 'pepper', ClientRequestToken: 'tok' }, deps);

  it('stages a document with one more version, tests it, then makes it current', async () => {
    sm.on(DescribeSecretCommand).resolves({
      VersionIdsToStages: { old: ['AWSCURRENT'], tok: ['AWSPENDING'] },
    });
    sm.on(GetSecretValueCommand, { SecretId: 'pepper', VersionStage: 'AWSCURRENT' }).resolves({
      SecretString: first,
    });
    sm.on(GetSecretValueCommand, {
      SecretId: 'pepper',
      VersionId: 'tok',
      VersionStage: 'AWSPENDING',
    }).rejects(new ResourceNotFoundException({ message: 'none', $metadata: {} }));
    sm.on(PutSecretValueCommand).resolves({});
    await step('createSecret');
    const put = sm.commandCalls(PutSecretValueCommand)[0]?.args[0].input;
    expect(put).toMatchObject({ ClientRequestToken: 'tok', VersionStages: ['AWSPENDING'] });
    const staged = JSON.parse(put?.SecretString as string);
    expect(staged).toMatchObject({ version: '2', previous: { '1': 'a'.repeat(40) } });
    expect(tracked).toEqual(['2']);

    sm.on(GetSecretValueCommand, {
      SecretId: 'pepper',
      VersionId: 'tok',
      VersionStage: 'AWSPENDING',
    }).resolves({
      SecretString: put?.SecretString,
    });
    await step('setSecret');
    await step('testSecret');
    sm.on(UpdateSecretVersionStageCommand).resolves({});
    await step('finishSecret');
    expect(sm.commandCalls(UpdateSecretVersionStageCommand)[0]?.args[0].input).toEqual({
      SecretId: 'pepper',
      VersionStage: 'AWSCURRENT',
      MoveToVersionId: 'tok',
      RemoveFromVersionId: 'old',
    });
  });

  it('fails the test step when the pending document lost an old version', async () => {
    sm.on(DescribeSecretCommand).resolves({
      VersionIdsToStages: { old: ['AWSCURRENT'], tok: ['AWSPENDING'] },
    });
    sm.on(GetSecretValueCommand, { SecretId: 'pepper', VersionStage: 'AWSCURRENT' }).resolves({
      SecretString: first,
    });
    sm.on(GetSecretValueCommand, {
      SecretId: 'pepper',
      VersionId: 'tok',
      VersionStage: 'AWSPENDING',
    }).resolves({
      SecretString: JSON.stringify({ version: '2', pepper: 'z'.repeat(40) }),
    });
    await expect(step('testSecret')).rejects.toThrow(/lost version 1/);
  });

  it('does not stage twice when createSecret is retried', async () => {
    sm.on(DescribeSecretCommand).resolves({
      VersionIdsToStages: { old: ['AWSCURRENT'], tok: ['AWSPENDING'] },
    });
    sm.on(GetSecretValueCommand).resolves({ SecretString: first });
    await step('createSecret');
    expect(sm.commandCalls(PutSecretValueCommand)).toHaveLength(0);
  });
});

describe('two pepper changes at once', () => {
  const service = (vault: PepperVault) =>
    new PepperService({
      vault,
      store: {
        track: async () => undefined,
        usage: async () => ({ liveKeys: 0, counted: 'counter' as const }),
        audit: async () => undefined,
      },
      now: () => new Date(at),
      retireGraceSeconds: 0,
    } as unknown as ConstructorParameters<typeof PepperService>[0]);
  const ctx = { actor: 'ops', requestId: 'r' };

  it('locally: of two rotations made from one document, one lands and the other is a 409; no version is lost', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'pepper-')), 'pepper.json');
    writeFileSync(file, first);
    const vault = new FilePepperVault(file);
    const results = await Promise.allSettled([service(vault).rotate(ctx), service(vault).rotate(ctx)]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/pepper changed/),
    });
    expect(readPepperDocument(await vault.read()).version).toBe('2');
  });

  it('in AWS: a write over a version another change replaced is refused, and nothing is put', async () => {
    const sm = mockClient(SecretsManagerClient);
    try {
      process.env.AWS_REGION = 'eu-west-1';
      sm.on(GetSecretValueCommand).resolves({ SecretString: 'newer', VersionId: 'v2' });
      const vault = new SecretsManagerPepperVault('pepper');
      await expect(vault.write('mine', 'older')).rejects.toBeInstanceOf(PepperChangedError);
      expect(sm.commandCalls(PutSecretValueCommand)).toHaveLength(0);
      // Two writers from one version: the second's token already names another value.
      sm.on(GetSecretValueCommand).resolves({ SecretString: 'same', VersionId: 'v2' });
      sm.on(PutSecretValueCommand).rejectsOnce(
        Object.assign(new Error('exists'), { name: 'ResourceExistsException' }),
      );
      await expect(vault.write('mine', 'same')).rejects.toBeInstanceOf(PepperChangedError);
      sm.on(PutSecretValueCommand).resolves({});
      await vault.write('mine', 'same');
      const tokens = sm.commandCalls(PutSecretValueCommand).map((c) => c.args[0].input.ClientRequestToken);
      expect(new Set(tokens).size).toBe(1);
    } finally {
      sm.restore();
    }
  });
});
