import { negotiateCoding } from './compression';

describe('negotiateCoding: the coding a client asked for', () => {
  it.each([
    [undefined, null],
    ['', null],
    ['identity', null],
    ['gzip', 'gzip'],
    ['x-gzip', 'gzip'],
    ['gzip, deflate, br', 'br'],
    ['*', 'br'],
    // the client's weights decide
    ['br;q=0.5, gzip;q=0.9', 'gzip'],
    ['gzip;q=0.4, br;q=0.8', 'br'],
    ['br;q=0, gzip;q=0.5', 'gzip'],
    ['br;q=0, gzip;q=0', null],
    ['*;q=0.3, gzip;q=0.9', 'gzip'],
    ['*;q=0', null],
  ])('%p → %p', (header, coding) => {
    expect(negotiateCoding(header)).toBe(coding);
  });
});
