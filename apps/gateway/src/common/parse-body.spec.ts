import { z } from 'zod';
import { DomainError } from '@app/domain';
import { createPaymentSchema } from '../payments/payment.dto';
import { parseBody, parseQuery } from './parse-body';
import { isStorableText, unstorableTextPaths } from './storable-text';

function refusal(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }
  throw new Error('expected a refusal');
}

describe('the shared storable-text rule', () => {
  it.each([
    ['NUL', 'a\u0000b'],
    ['a lone high surrogate', 'x\ud800y'],
    ['a lone low surrogate', 'x\udc00y'],
    ['a high surrogate at the end', 'x\udbff'],
    ['two high surrogates', '\ud83d\ud83d'],
  ])('finds %s', (_name, text) => {
    expect(isStorableText(text)).toBe(false);
  });

  it.each(['plain', 'æøå', '𝕏🙂‮', '%00', '\\u0000', '\u0001\u001f', ''])('accepts %j', (text) => {
    expect(isStorableText(text)).toBe(true);
  });

  it('names every unstorable string and property name, however deep', () => {
    const value = {
      name: 'ok',
      lines: ['fine', 'a\u0000b'],
      nested: { 'key\u0000': 'value', deeper: [{ city: '\ud800' }] },
    };
    expect(unstorableTextPaths(value).sort()).toEqual(
      [['lines', 1], ['nested'], ['nested', 'deeper', 0, 'city']].sort(),
    );
  });

  it('walks nesting in linear time: 200 000 levels, one path built for what is found', () => {
    let deep: unknown = 'x\u0000';
    for (let level = 0; level < 200_000; level++) deep = [deep];
    const [path] = unstorableTextPaths(deep);
    expect(path).toHaveLength(200_000);
  });

  it('walks a body nested 20 000 levels without overflowing the stack', () => {
    const deep = JSON.parse('['.repeat(20_000) + '"\\u0000"' + ']'.repeat(20_000)) as unknown;
    expect(unstorableTextPaths(deep)).toHaveLength(1);
  });

  it('refuses the field in a body that is otherwise valid, as validation_failed', () => {
    const body = {
      amount: 100,
      currency: 'DKK',
      orderId: 'a\u0000b',
      redirectFromMobilePayUrl: 'https://shop.example.dk/return',
    };
    const error = refusal(() => parseBody(createPaymentSchema, body));
    expect(error.code).toBe('validation_failed');
    expect(error.details).toEqual({ issues: [{ path: 'orderId', rule: 'unstorable_text' }] });
    expect(JSON.stringify(error)).not.toContain('a\u0000b');
    expect(parseBody(createPaymentSchema, { ...body, orderId: 'ab' })).toMatchObject({
      orderId: 'ab',
    });
  });

  it('applies before schemas that would let any string through, and to query strings', () => {
    const loose = z.record(z.string(), z.unknown());
    expect(refusal(() => parseBody(loose, { note: 'x\ud800' })).details).toEqual({
      issues: [{ path: 'note', rule: 'unstorable_text' }],
    });
    const query = z.object({ orderId: z.string().optional() }).strict();
    expect(refusal(() => parseQuery(query, { orderId: '\u0000' })).details).toEqual({
      issues: [{ path: 'orderId', rule: 'unstorable_text' }],
    });
  });

  it('leaves the route schema its own rule names', () => {
    const error = refusal(() => parseBody(createPaymentSchema, { amount: 'x' }));
    expect((error.details?.issues as { rule: string }[]).map((i) => i.rule)).not.toContain(
      'unstorable_text',
    );
  });
});
