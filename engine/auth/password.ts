import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { HashSlots } from './hash-slots.ts';

// scrypt cost: N=2^15 with r=8 needs 32 MiB, above Node's default maxmem, so it is raised.
// NUANXIN_SCRYPT_LOG2N lowers it for test suites; each hash records its own N, so old hashes still verify.
const cost = () => 2 ** Math.min(Math.max(Number(process.env.NUANXIN_SCRYPT_LOG2N ?? 15), 10), 20);
const R = 8;
const P = 1;
const KEYLEN = 32;
const MAXMEM = 64 * 1024 * 1024;

/** Every hash of this process passes through these slots (limits set by `buildApp`). */
export const hashSlots = new HashSlots();

function derive(
  password: string,
  salt: Buffer,
  params: { n: number; r: number; p: number },
  slot: { refuseWhenBusy: boolean; owner?: string } = { refuseWhenBusy: false },
): Promise<Buffer> {
  return hashSlots.run(
    () =>
      new Promise<Buffer>((resolve, reject) =>
        scrypt(
          password.normalize('NFKC'),
          salt,
          KEYLEN,
          { N: params.n, r: params.r, p: params.p, maxmem: MAXMEM },
          (err, key) => (err ? reject(err) : resolve(key)),
        ),
      ),
    slot,
  );
}

/** `scrypt$N$r$p$<salt b64>$<hash b64>` with a fresh 16-byte salt per password. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const n = cost();
  const key = await derive(password, salt, { n, r: R, p: P });
  return `scrypt$${n}$${R}$${P}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** A hash of nothing at the current cost: checking against it takes as long as checking a real one. */
export const dummyHash = (): string =>
  `scrypt$${cost()}$${R}$${P}$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=`;

/**
 * Constant-time check against a stored hash; parameters are read from the hash itself. With
 * `refuseWhenBusy` (logins, password changes) a full hashing queue, or one holding `owner`'s
 * share already, throws NX_ERR_AUTH_BUSY (503).
 */
export async function verifyPassword(
  password: string,
  stored: string,
  opts: { refuseWhenBusy?: boolean; owner?: string } = {},
): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const params = { n: Number(n), r: Number(r), p: Number(p) };
  const key = await derive(password, Buffer.from(salt, 'base64'), params, {
    refuseWhenBusy: opts.refuseWhenBusy ?? false,
    owner: opts.owner,
  });
  return key.length === expected.length && timingSafeEqual(key, expected);
}
