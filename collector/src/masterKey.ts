// The server master key that seals the copies of secret keys: REFERLOOP_MASTER_KEY, else a 0600 file in the data folder.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function decodeMasterKey(text: string): Buffer {
  const t = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  if (key.length !== 32) throw new Error('the master key must be 32 bytes, as 64 hex characters or base64');
  return key;
}

export function loadMasterKey(fromEnv: string | undefined, dataDir: string): Buffer {
  if (fromEnv) return decodeMasterKey(fromEnv);
  const file = join(dataDir, 'master.key');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    // flag 'wx': never overwrite a key another process wrote a moment ago.
    try {
      writeFileSync(file, randomBytes(32).toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  return decodeMasterKey(readFileSync(file, 'utf8'));
}
