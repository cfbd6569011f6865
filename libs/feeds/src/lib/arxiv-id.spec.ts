import { parseArxivId } from './arxiv-id';

describe('parseArxivId', () => {
  it.each([
    ['2401.00001', { id: '2401.00001' }],
    ['2401.00001v2', { id: '2401.00001', version: 2 }],
    ['0704.0001', { id: '0704.0001' }],
    ['1412.6529v12', { id: '1412.6529', version: 12 }],
    ['arXiv:2604.21935v1', { id: '2604.21935', version: 1 }],
    ['oai:arXiv.org:2604.21935v1', { id: '2604.21935', version: 1 }],
    ['oai:arXiv.org:1302.2146', { id: '1302.2146' }],
    ['hep-th/9901001', { id: 'hep-th/9901001' }],
    ['hep-th/9901001v3', { id: 'hep-th/9901001', version: 3 }],
    ['math.AG/0601001', { id: 'math/0601001' }],
    ['cond-mat/0412498v1', { id: 'cond-mat/0412498', version: 1 }],
    ['http://arxiv.org/abs/cond-mat/0412498v1', { id: 'cond-mat/0412498', version: 1 }],
    ['https://arxiv.org/abs/2604.26951v1', { id: '2604.26951', version: 1 }],
    ['https://arxiv.org/pdf/2604.26951v1', { id: '2604.26951', version: 1 }],
    ['https://arxiv.org/pdf/2401.00001v2.pdf', { id: '2401.00001', version: 2 }],
    ['https://export.arxiv.org/abs/2401.00001?context=cs', { id: '2401.00001' }],
    ['http://www.arxiv.org/abs/2401.00001/', { id: '2401.00001' }],
    ['  2401.00001  ', { id: '2401.00001' }],
  ])('parses %s', (input, expected) => {
    expect(parseArxivId(input)).toEqual(expected);
  });

  it.each([
    '',
    'abc',
    '0000.0000',
    '2413.00001', // month 13
    '0703.0001', // new style starts in 2007-04
    '1501.0001', // 5-digit numbers from 2015
    '1412.00001', // 4-digit numbers until 2014
    '2401.000001',
    '2401.00001x',
    '2401.00001v0',
    '2401.00001 2401.00002',
    'hep-th/990100',
    'hep-th/2001001', // old style ended in 2007
    'https://arxiv.org/api/errors#incorrect_id_format_for_abc',
    'https://example.org/abs/2401.00001',
    'doi:10.1000/182',
    'x'.repeat(10_000),
  ])('rejects %j', (input) => {
    expect(parseArxivId(input)).toBeNull();
  });
});
