// domain/money.ts: decimals to hundredths, basis points and proration, rounded half away from zero.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_CENTS, applyBasisPoints, parseHundredths, prorate, toDecimal } from '../../src/domain/money.ts';

const ok = (value: number) => ({ ok: true, value });

test('parseHundredths: numbers and plain decimal strings become exact integer hundredths', () => {
  const cases: Array<[unknown, number]> = [
    [0, 0], [57, 5700], [57.0, 5700], [16.15, 1615], [0.01, 1], [0.1, 10], [0.29, 29],
    ['108.00', 10800], ['108', 10800], ['108.5', 10850], ['0.07', 7], ['007.50', 750], ['0', 0],
    [12.5, 1250], [999_999_999.99, MAX_CENTS], ['999999999.99', MAX_CENTS], ['000000000001.00', 100],
  ];
  for (const [input, expected] of cases) {
    assert.deepEqual(parseHundredths(input), ok(expected), JSON.stringify(input));
  }
  // Values a float would get wrong if multiplied: the digits are read, not computed.
  assert.deepEqual(parseHundredths(0.29), ok(29));
  assert.deepEqual(parseHundredths(1.15), ok(115));
  assert.deepEqual(parseHundredths(4.35), ok(435));
  assert.deepEqual(parseHundredths('19.99'), ok(1999));
});

test('parseHundredths: everything else is refused with a message', () => {
  const refused: Array<[unknown, RegExp]> = [
    [16.155, /two decimal places/], ['16.155', /two decimal places/], ['0.001', /two decimal places/],
    [1e-7, /two decimal places/], ['1e-7', /two decimal places/],
    [-1, /negative/], ['-0.01', /negative/], [-0.5, /negative/],
    [Number.NaN, /finite/], [Number.POSITIVE_INFINITY, /finite/], [Number.NEGATIVE_INFINITY, /finite/],
    ['NaN', /plain decimal/], ['Infinity', /plain decimal/], ['1e3', /too large/], ['1E3', /too large/], [1e21, /too large/],
    ['0x10', /plain decimal/], ['12,50', /plain decimal/], ['', /plain decimal/], [' 12', /plain decimal/], ['12 ', /plain decimal/],
    ['.5', /plain decimal/], ['5.', /plain decimal/], ['+5', /plain decimal/], ['$5', /plain decimal/], ['1_000', /plain decimal/],
    ['1000000000', /too large/], [1_000_000_000, /too large/], ['99999999999999999999', /too large/],
    [null, /number or a decimal string/], [undefined, /number or a decimal string/], [true, /number or a decimal string/],
    [{}, /number or a decimal string/], [[5], /number or a decimal string/], [5n, /number or a decimal string/],
  ];
  for (const [input, message] of refused) {
    const r = parseHundredths(input);
    assert.equal(r.ok, false, String(input));
    assert.match((r as { message: string }).message, message, String(input));
  }
});

test('toDecimal: hundredths back to the API number', () => {
  assert.equal(toDecimal(570), 5.7);
  assert.equal(toDecimal(5130), 51.3);
  assert.equal(toDecimal(1615), 16.15);
  assert.equal(toDecimal(0), 0);
  assert.equal(toDecimal(MAX_CENTS), 999_999_999.99);
});

test('applyBasisPoints: 10% of 57.00 is 5.70, halves round away from zero, never to even', () => {
  assert.equal(applyBasisPoints(5700, 1000), 570);
  assert.equal(applyBasisPoints(1615, 1000), 162); // 161.5
  assert.equal(applyBasisPoints(5, 1000), 1); // 0.5
  assert.equal(applyBasisPoints(15, 1000), 2); // 1.5
  assert.equal(applyBasisPoints(25, 1000), 3); // 2.5: banker's rounding would say 2
  assert.equal(applyBasisPoints(1, 5000), 1); // 0.5
  assert.equal(applyBasisPoints(3, 5000), 2); // 1.5
  assert.equal(applyBasisPoints(14, 1000), 1); // 1.4
  assert.equal(applyBasisPoints(16, 1000), 2); // 1.6
  assert.equal(applyBasisPoints(1, 4999), 0); // 0.4999
  assert.equal(applyBasisPoints(-5, 1000), -1); // -0.5: away from zero
  assert.equal(applyBasisPoints(-25, 1000), -3);
  assert.equal(applyBasisPoints(-14, 1000), -1);
  assert.equal(applyBasisPoints(1234, 0), 0);
  assert.equal(applyBasisPoints(0, 1000), 0);
  assert.equal(applyBasisPoints(1234, 10_000), 1234);
  assert.equal(applyBasisPoints(1234, 1250), 154); // 12.5% of 12.34 = 1.5425
  assert.equal(applyBasisPoints(MAX_CENTS, 10_000), MAX_CENTS);
  assert.equal(applyBasisPoints(MAX_CENTS, 1000), 10_000_000_000); // 9,999,999,999.9
});

test('prorate: amount × part / whole, halves away from zero', () => {
  assert.equal(prorate(570, 2565, 5130), 285);
  assert.equal(prorate(5, 1, 2), 3); // 2.5
  assert.equal(prorate(-5, 1, 2), -3);
  assert.equal(prorate(7, 1, 2), 4); // 3.5
  assert.equal(prorate(100, 1, 3), 33);
  assert.equal(prorate(100, 2, 3), 67);
  assert.equal(prorate(101, 1, 2), 51);
  assert.equal(prorate(1000, 0, 5000), 0);
  assert.equal(prorate(1000, 5000, 5000), 1000);
  assert.equal(prorate(1000, 1, 0), 0);
});
