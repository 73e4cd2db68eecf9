import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eventually } from '@carebridge/testing';
import type { EligibilityInquiry } from '../x12/x12-270.mapping';
import { askPayer } from './ask-payer.adapter';
import { FileDropPayerConnection } from './payer-connection-file-drop.adapter';
import { HttpPayerConnection } from './payer-connection-http.adapter';
import { answerWithRecorded271 } from '../x12/testing/recorded-payer.fixtures';

const sample = (name: string) => readFile(path.join(__dirname, '..', 'x12', 'samples', name), 'utf8');
const inquiry: EligibilityInquiry = {
  interchangeControlNumber: 102,
  senderId: 'CAREBRIDGE',
  receiverId: 'ACME01',
  createdAt: new Date('2026-11-22T10:30:00Z'),
  traceNumber: 'TRC0002',
  // Sample 02 answers trace TRC0002 assigned by 9876543210, for ROE RICHARD A123456789.
  traceOriginatorId: '9876543210',
  payer: { name: 'ACME HEALTH PLAN', id: 'ACME01' },
  provider: { name: 'CAREBRIDGE CLINIC', npi: '1234567893' },
  subscriber: { memberId: 'A123456789', lastName: 'ROE', firstName: 'RICHARD' },
  dateOfService: '2027-05-01',
  serviceTypes: ['30', '98'],
};

describe('payer connections', () => {
  describe('over HTTP', () => {
    let server: Server;
    let received = '';
    let status = 200;
    let url: string;

    beforeAll(async () => {
      const answer = await sample('02-commercial-multiple-eb.x12');
      server = createServer((req, res) => {
        let body = '';
        req.on('data', (chunk) => (body += chunk));
        req.on('end', () => {
          received = body;
          res.writeHead(status, { 'content-type': 'application/edi-x12' }).end(answer);
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/270`;
    });

    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('posts the 270 and reads the cost share from the 271', async () => {
      status = 200;
      const answer = await askPayer(new HttpPayerConnection({ url }), inquiry, '98');
      expect(received).toMatch(/^ISA\*/);
      expect(received).toContain('EQ*30^98~');
      expect(answer).toMatchObject({ status: 'active', copay: 25, deductibleRemaining: 600 });
    });

    it('reports a failing payer as unreachable', async () => {
      status = 503;
      expect(await askPayer(new HttpPayerConnection({ url }), inquiry, '98')).toEqual({ status: 'unreachable', detail: "the payer's eligibility service answered with an error (HTTP 503)" });
    });

    it('reports a closed port as unreachable', async () => {
      const answer = await askPayer(new HttpPayerConnection({ url: 'http://127.0.0.1:9/270', timeoutMs: 2_000 }), inquiry, '98');
      expect(answer.status).toBe('unreachable');
    });
  });

  describe('through a file drop', () => {
    let dir: string;

    beforeAll(async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'payer-drop-'));
    });

    afterAll(() => rm(dir, { recursive: true, force: true }));

    it('writes the 270 to the outbox and reads the 271 from the inbox', async () => {
      const connection = new FileDropPayerConnection({ outbox: dir, inbox: dir, pollMs: 20, timeoutMs: 10_000 });
      const pending = askPayer(connection, inquiry, '30');
      const written = await eventually(async () => ((await readdir(dir)).includes('000000102.270') ? true : undefined), { what: 'the 270 file' });
      expect(written).toBe(true);
      const sent = await readFile(path.join(dir, '000000102.270'), 'utf8');
      await writeFile(path.join(dir, '000000102.271'), answerWithRecorded271(await sample('03-rejected-subscriber-not-found.x12'), sent));
      expect(await pending).toMatchObject({ status: 'rejected', rejections: [{ reasonCode: '75' }] });
    });

    it('reports no answer before the timeout as unreachable', async () => {
      const connection = new FileDropPayerConnection({ outbox: dir, inbox: dir, pollMs: 20, timeoutMs: 200 });
      expect((await askPayer(connection, { ...inquiry, interchangeControlNumber: 103 }, '30')).status).toBe('unreachable');
    });
  });
});
