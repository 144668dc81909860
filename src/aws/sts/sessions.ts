// Temporary credentials: an ASIA access key, secret and session token kept in the state store
// until they expire.
import { accessKeyId, secretAccessKey, sessionToken } from '../ids.js';
import type { RoleRecord, SessionRecord } from '../iam/model.js';
import type { AwsStateStore } from '../state.js';
import type { XmlValue } from '../server/query.js';

export async function issueSession(state: AwsStateStore, role: RoleRecord, accountId: string, sessionName: string, now: number, durationSeconds: number, tags?: Record<string, string>): Promise<SessionRecord> {
  // Drop expired sessions as new ones are issued so the store does not grow without bound.
  for (const s of await state.list<SessionRecord>('session')) if (s.Expiration <= now) await state.delete('session', s.AccessKeyId);
  const session: SessionRecord = {
    AccessKeyId: accessKeyId('ASIA'),
    SecretAccessKey: secretAccessKey(),
    SessionToken: sessionToken(),
    Expiration: now + durationSeconds * 1000,
    AccountId: accountId,
    RoleName: role.RoleName,
    RoleArn: role.Arn,
    RoleId: role.RoleId,
    SessionName: sessionName,
    Arn: `arn:aws:sts::${accountId}:assumed-role/${role.RoleName}/${sessionName}`,
    Tags: tags,
  };
  await state.put('session', session.AccessKeyId, session);
  return session;
}

export function credentialsXml(s: SessionRecord): Record<string, XmlValue> {
  return {
    Credentials: {
      AccessKeyId: s.AccessKeyId,
      SecretAccessKey: s.SecretAccessKey,
      SessionToken: s.SessionToken,
      Expiration: new Date(s.Expiration).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    },
    AssumedRoleUser: { AssumedRoleId: `${s.RoleId}:${s.SessionName}`, Arn: s.Arn },
  };
}
