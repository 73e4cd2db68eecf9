import { InfrastructureUnavailableError, isInfrastructureUnavailable } from './infrastructure-error';

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });
const named = (name: string, extra: object = {}) => Object.assign(new Error(name), { name, ...extra });

describe('isInfrastructureUnavailable', () => {
  it.each([
    ['a refused connection', withCode('ECONNREFUSED')],
    ['PostgreSQL shutting down (57P01)', withCode('57P01', 'terminating connection due to administrator command')],
    ['PostgreSQL starting up (57P03)', withCode('57P03', 'the database system is starting up')],
    ['a connection exception (08006)', withCode('08006')],
    ['node-postgres losing its socket', new Error('Connection terminated unexpectedly')],
    ['a pool connect timeout', new Error('timeout exceeded when trying to connect')],
    ['a kafkajs connection error', named('KafkaJSConnectionError')],
    ['kafkajs retries exhausted on a connection error', named('KafkaJSNumberOfRetriesExceeded', { originalError: named('KafkaJSConnectionError') })],
    ['an AggregateError of refused addresses', Object.assign(new AggregateError([withCode('ECONNREFUSED')]), {})],
    ['the typed error itself', new InfrastructureUnavailableError('postgres')],
  ])('says yes to %s', (_name, error) => {
    expect(isInfrastructureUnavailable(error)).toBe(true);
  });

  it.each([
    ['a bug', new TypeError('cannot read properties of undefined')],
    ['a unique violation', withCode('23505')],
    ['a serialization failure (contention, retried elsewhere)', withCode('40001')],
    ['a syntax error', withCode('42601')],
    ['a string', 'ECONNREFUSED'],
    ['undefined', undefined],
  ])('says no to %s', (_name, error) => {
    expect(isInfrastructureUnavailable(error)).toBe(false);
  });
});
