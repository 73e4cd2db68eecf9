#!/usr/bin/env node
// Waits until a Kafka broker answers a metadata request (kafkajs admin describeCluster).
// Plain CommonJS so it runs without a transpiler. Used by deploy/local/infra.sh.
//
//   node deploy/local/kafka-wait.cjs --brokers 127.0.0.1:9092 [--timeout 90] [--pid N] [--log FILE] [--once]
//
// Exit codes: 0 ready, 1 timed out / not answering, 2 the broker process (--pid) exited, 3 kafkajs missing.
'use strict';

const args = process.argv.slice(2);
function opt(name, fallback) {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
}
const brokers = opt('brokers', process.env.KAFKA_BROKERS || '127.0.0.1:9092')
  .split(',')
  .map((b) => b.trim())
  .filter(Boolean);
const once = args.includes('--once');
const timeoutMs = Number(opt('timeout', once ? '3' : '90')) * 1000;
const pid = opt('pid') ? Number(opt('pid')) : undefined;
const logFile = opt('log');

let kafkajs;
try {
  kafkajs = require('kafkajs');
} catch (e) {
  console.error('[infra] kafkajs is not installed (run npm install in the workspace root): ' + e.message);
  process.exit(3);
}
const { Kafka, logLevel } = kafkajs;

function alive(p) {
  try {
    process.kill(p, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

async function probe(perAttemptMs) {
  const kafka = new Kafka({
    clientId: 'carebridge-infra-wait',
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: Math.min(2000, perAttemptMs),
    requestTimeout: Math.max(1000, perAttemptMs),
    retry: { retries: 0 },
  });
  const admin = kafka.admin({ retry: { retries: 0 } });
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return { ok: true, cluster };
  } catch (e) {
    return { ok: false, error: e };
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

(async () => {
  const started = Date.now();
  let lastReport = started;
  let lastError;
  for (;;) {
    const remaining = timeoutMs - (Date.now() - started);
    const res = await probe(Math.max(1000, Math.min(3000, remaining)));
    if (res.ok) {
      const b = res.cluster.brokers.map((x) => `${x.nodeId}@${x.host}:${x.port}`).join(',');
      if (!once) {
        console.log(`[infra] kafka answered after ${((Date.now() - started) / 1000).toFixed(1)}s (cluster ${res.cluster.clusterId}, brokers ${b})`);
      } else {
        console.log(`cluster=${res.cluster.clusterId} brokers=${b}`);
      }
      process.exit(0);
    }
    lastError = res.error;
    if (pid !== undefined && !alive(pid)) {
      console.error(`[infra] kafka process ${pid} exited before answering` + (logFile ? `; see ${logFile}` : ''));
      process.exit(2);
    }
    if (once || Date.now() - started >= timeoutMs) break;
    if (Date.now() - lastReport >= 5000) {
      lastReport = Date.now();
      console.log(`[infra] waiting for kafka on ${brokers.join(',')} ... ${Math.round((Date.now() - started) / 1000)}s (${lastError && lastError.message})`);
    }
    await sleep(500);
  }
  if (!once) {
    console.error(
      `[infra] kafka on ${brokers.join(',')} did not answer within ${timeoutMs / 1000}s: ${lastError && lastError.message}` +
        (logFile ? `; see ${logFile}` : ''),
    );
  }
  process.exit(1);
})();
