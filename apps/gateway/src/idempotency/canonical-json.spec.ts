import { canonicalJson } from './canonical-json';

describe('canonicalJson', () => {
  it('is the same for the same parameters in another key order, at every level', () => {
    const sut = canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } });
    expect(sut).toBe(canonicalJson({ a: { c: null, d: [1, { x: 1, y: 2 }] }, b: 1 }));
    expect(sut).toBe('{"a":{"c":null,"d":[1,{"x":1,"y":2}]},"b":1}');
  });

  it('tells different parameters apart, including array order and types', () => {
    expect(canonicalJson({ a: [1, 2] })).not.toBe(canonicalJson({ a: [2, 1] }));
    expect(canonicalJson({ a: 1 })).not.toBe(canonicalJson({ a: '1' }));
    expect(canonicalJson(undefined)).toBe('');
  });
});
