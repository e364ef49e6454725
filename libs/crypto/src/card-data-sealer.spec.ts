import { randomBytes } from 'node:crypto';
import { CardDataSealer, type SealedBlob } from './card-data-sealer';
import { sealCard, unsealCard, type SealedCard } from './sealed-card';

const ATTEMPT_ID = 'b3a1f1de-6f0e-4a57-9d55-3f1f3b1a2c01';
const OTHER_ATTEMPT_ID = 'b3a1f1de-6f0e-4a57-9d55-3f1f3b1a2c02';
const PLAINTEXT = Buffer.from('{"kind":"pan","number":"4111111111111111"}');

function copy(blob: SealedBlob): SealedBlob {
  return {
    sealKeyId: blob.sealKeyId,
    iv: Buffer.from(blob.iv),
    ciphertext: Buffer.from(blob.ciphertext),
    authTag: Buffer.from(blob.authTag),
  };
}

describe('CardDataSealer', () => {
  const currentKey = randomBytes(32);
  const sut = new CardDataSealer(currentKey);

  it('round-trips the plaintext for the same attempt id', () => {
    const blob = sut.seal(PLAINTEXT, ATTEMPT_ID);
    expect(blob.sealKeyId).toBe(CardDataSealer.keyId(currentKey));
    expect(blob.iv).toHaveLength(12);
    expect(blob.authTag).toHaveLength(16);
    expect(blob.ciphertext.includes(PLAINTEXT)).toBe(false);
    expect(blob.ciphertext.toString('latin1')).not.toContain('4111111111111111');
    expect(sut.unseal(blob, ATTEMPT_ID)).toEqual(PLAINTEXT);
  });

  it('refuses to unseal a blob moved to another attempt (associated data)', () => {
    const blob = sut.seal(PLAINTEXT, ATTEMPT_ID);
    expect(() => sut.unseal(blob, OTHER_ATTEMPT_ID)).toThrow();
  });

  it.each([0, 7, PLAINTEXT.length - 1])('detects a flipped ciphertext byte at %i', (index) => {
    const blob = copy(sut.seal(PLAINTEXT, ATTEMPT_ID));
    blob.ciphertext[index] ^= 0x80;
    expect(() => sut.unseal(blob, ATTEMPT_ID)).toThrow();
  });

  it.each([0, 15])('detects a flipped auth tag byte at %i', (index) => {
    const blob = copy(sut.seal(PLAINTEXT, ATTEMPT_ID));
    blob.authTag[index] ^= 0x01;
    expect(() => sut.unseal(blob, ATTEMPT_ID)).toThrow();
  });

  it('detects a changed IV', () => {
    const blob = copy(sut.seal(PLAINTEXT, ATTEMPT_ID));
    blob.iv[3] ^= 0x01;
    expect(() => sut.unseal(blob, ATTEMPT_ID)).toThrow();
  });

  it.each([4, 8, 12])('refuses an auth tag truncated to %i bytes', (length) => {
    const blob = copy(sut.seal(PLAINTEXT, ATTEMPT_ID));
    blob.authTag = blob.authTag.subarray(0, length);
    expect(() => sut.unseal(blob, ATTEMPT_ID)).toThrow();
  });

  it('uses a fresh IV for every seal', () => {
    const blobs = Array.from({ length: 20 }, () => sut.seal(PLAINTEXT, ATTEMPT_ID));
    expect(new Set(blobs.map((blob) => blob.iv.toString('hex'))).size).toBe(20);
    expect(new Set(blobs.map((blob) => blob.ciphertext.toString('hex'))).size).toBe(20);
  });

  it('unseals with the previous key after a rotation and seals with the new one', () => {
    const oldKey = randomBytes(32);
    const newKey = randomBytes(32);
    const before = new CardDataSealer(oldKey);
    const sealedBefore = before.seal(PLAINTEXT, ATTEMPT_ID);

    const after = new CardDataSealer(newKey, [oldKey]);
    expect(after.unseal(sealedBefore, ATTEMPT_ID)).toEqual(PLAINTEXT);
    const sealedAfter = after.seal(PLAINTEXT, ATTEMPT_ID);
    expect(sealedAfter.sealKeyId).toBe(CardDataSealer.keyId(newKey));
    expect(sealedAfter.sealKeyId).not.toBe(sealedBefore.sealKeyId);
    expect(() => before.unseal(sealedAfter, ATTEMPT_ID)).toThrow(/not configured/);
  });

  it('fails for a blob sealed under a key it does not have', () => {
    const stranger = new CardDataSealer(randomBytes(32));
    const blob = stranger.seal(PLAINTEXT, ATTEMPT_ID);
    expect(() => sut.unseal(blob, ATTEMPT_ID)).toThrow(/not configured/);
  });

  it('fails when a blob claims the current key id but was sealed under another key', () => {
    const blob = new CardDataSealer(randomBytes(32)).seal(PLAINTEXT, ATTEMPT_ID);
    expect(() =>
      sut.unseal({ ...blob, sealKeyId: sut.seal(PLAINTEXT, 'x').sealKeyId }, ATTEMPT_ID),
    ).toThrow();
  });

  it.each([16, 31, 33, 0])('rejects a %i-byte key', (length) => {
    expect(() => new CardDataSealer(randomBytes(length))).toThrow(/32 bytes/);
    expect(() => new CardDataSealer(randomBytes(32), [randomBytes(length)])).toThrow(/32 bytes/);
  });

  it('derives a key id that does not reveal the key', () => {
    const id = CardDataSealer.keyId(currentKey);
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    expect(currentKey.toString('hex')).not.toContain(id);
  });

  it('seals and unseals a whole card through sealCard/unsealCard', () => {
    const card: SealedCard = {
      kind: 'pan',
      number: '4571000000000000006',
      expiryMonth: 12,
      expiryYear: 2030,
    };
    const blob = sealCard(sut, card, ATTEMPT_ID);
    expect(unsealCard(sut, blob, ATTEMPT_ID)).toEqual(card);
    expect(() => unsealCard(sut, blob, OTHER_ATTEMPT_ID)).toThrow();
  });
});
