import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  type SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { parsePepperSet } from '#domain/keys/secret-hash.ts';
import { newPepper, readPepperDocument, rotatedDocument } from '#domain/pepper/pepper-service.ts';

/** What Secrets Manager sends a rotation function, once per step. */
export interface RotationEvent {
  readonly Step: 'createSecret' | 'setSecret' | 'testSecret' | 'finishSecret';
  readonly SecretId: string;
  readonly ClientRequestToken: string;
}

export interface RotationDeps {
  readonly client: SecretsManagerClient;
  /** Starts the new version's live-key counter before any key can be hashed under it. */
  readonly track: (version: string) => Promise<void>;
  readonly now: () => Date;
}

/**
 * Secrets Manager's four rotation steps for the pepper. The new secret version is the current
 * document with one more pepper version: every older one stays under `previous`, so stored
 * hashes keep verifying (a plain password rotation would orphan them all).
 * - createSecret: put the rotated document as AWSPENDING under the token (once: a retry finds it).
 * - setSecret: nothing (no other system holds the pepper).
 * - testSecret: the pending document parses, and still holds every version of the current one.
 * - finishSecret: move AWSCURRENT to the token.
 */
export async function rotationStep(event: RotationEvent, deps: RotationDeps): Promise<void> {
  const { client } = deps;
  const { SecretId, ClientRequestToken: token } = event;
  const described = await client.send(new DescribeSecretCommand({ SecretId }));
  const stages = described.VersionIdsToStages?.[token];
  if (!stages) throw new Error(`rotation: version ${token} is not staged for rotation`);
  if (stages.includes('AWSCURRENT') && event.Step !== 'finishSecret') return;
  const current = async () =>
    (await client.send(new GetSecretValueCommand({ SecretId, VersionStage: 'AWSCURRENT' }))).SecretString ??
    '';
  switch (event.Step) {
    case 'createSecret': {
      try {
        await client.send(
          new GetSecretValueCommand({ SecretId, VersionId: token, VersionStage: 'AWSPENDING' }),
        );
        return;
      } catch (error) {
        if (!(error instanceof ResourceNotFoundException)) throw error;
      }
      const next = rotatedDocument(
        readPepperDocument(await current()),
        newPepper(),
        deps.now().toISOString(),
      );
      await deps.track(next.version);
      await client.send(
        new PutSecretValueCommand({
          SecretId,
          ClientRequestToken: token,
          SecretString: JSON.stringify(next),
          VersionStages: ['AWSPENDING'],
        }),
      );
      return;
    }
    case 'setSecret':
      return;
    case 'testSecret': {
      const pending = await client.send(
        new GetSecretValueCommand({ SecretId, VersionId: token, VersionStage: 'AWSPENDING' }),
      );
      const next = parsePepperSet(pending.SecretString ?? '');
      const before = parsePepperSet(await current());
      for (const [version, pepper] of before.byVersion) {
        if (!next.byVersion.get(version)?.equals(pepper))
          throw new Error(`rotation: the pending pepper lost version ${version}`);
      }
      if (!next.lookupKey.equals(before.lookupKey))
        throw new Error('rotation: the pending pepper changed the lookup key');
      return;
    }
    case 'finishSecret': {
      const currentVersion = Object.entries(described.VersionIdsToStages ?? {}).find(([, s]) =>
        s.includes('AWSCURRENT'),
      )?.[0];
      if (currentVersion === token) return;
      await client.send(
        new UpdateSecretVersionStageCommand({
          SecretId,
          VersionStage: 'AWSCURRENT',
          MoveToVersionId: token,
          RemoveFromVersionId: currentVersion,
        }),
      );
      return;
    }
  }
}
