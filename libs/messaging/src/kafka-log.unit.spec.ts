import { logLevel } from 'kafkajs';
import { kafkaLogCreator } from './kafka';

// Issue 21 finding 7: a broker restart or a rebalance filled the logs with ERROR lines that need no one.
function capture() {
  const lines: { level: string; message: string }[] = [];
  const at = (level: string) => (_fields: object, message: string) => void lines.push({ level, message });
  const log = kafkaLogCreator({ error: at('error'), warn: at('warn'), info: at('info') })(logLevel.ERROR);
  return { lines, log: (level: logLevel, message: string, extra: Record<string, unknown> = {}) => log({ namespace: 'Connection', level, label: 'ERROR', log: { message, timestamp: '', ...extra } }) };
}

describe('kafkajs log lines in the service log', () => {
  it.each([
    ['the coordinator loading after a restart', '[Connection] Response JoinGroup', { error: "The coordinator is loading and hence can't process requests for this group" }],
    ['a rebalance', '[Connection] Response Heartbeat', { error: 'The group is rebalancing, so a rejoin is needed' }],
    ['a refused connection', '[Connection] Connection error: connect ECONNREFUSED 127.0.0.1:9092', {}],
    ['a topic created by another replica first', '[Admin] createTopics', { error: 'Topic with this name already exists' }],
  ])('are warnings for %s', (_name, message, extra) => {
    const { lines, log } = capture();
    log(logLevel.ERROR, message, extra);
    expect(lines).toEqual([{ level: 'warn', message }]);
  });

  it('stay errors for anything else', () => {
    const { lines, log } = capture();
    log(logLevel.ERROR, '[Producer] Failed to send messages', { error: 'The request included a message larger than the max message size the server will accept' });
    expect(lines).toEqual([{ level: 'error', message: '[Producer] Failed to send messages' }]);
  });
});
