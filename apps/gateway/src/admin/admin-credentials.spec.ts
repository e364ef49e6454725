import { adminCredentialsValid } from './admin-credentials';

const KEY = 'admin-key-0123456789abcdefghij';
const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('adminCredentialsValid', () => {
  it.each([
    ['the bearer key', `Bearer ${KEY}`],
    ['a lower-case scheme', `bearer ${KEY}`],
    ['HTTP Basic admin:<key>', basic('admin', KEY)],
  ])('accepts %s', (_name, header) => {
    expect(adminCredentialsValid(header, KEY)).toBe(true);
  });

  it.each([
    ['no header', undefined],
    ['an empty header', ''],
    ['another bearer key', 'Bearer admin-key-0123456789abcdefghiX'],
    ['a prefix of the key', `Bearer ${KEY.slice(0, -1)}`],
    ['Basic with another user', basic('root', KEY)],
    ['Basic with the wrong password', basic('admin', 'nope')],
    ['Basic without a colon', `Basic ${Buffer.from(`admin${KEY}`).toString('base64')}`],
    ['another scheme', `Digest ${KEY}`],
  ])('refuses %s', (_name, header) => {
    expect(adminCredentialsValid(header, KEY)).toBe(false);
  });
});
