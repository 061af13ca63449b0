/**
 * `npm run bench -- upload [--mib 1024]`
 * A 1 GiB lesson video uploaded (streamed multipart) to the built server on SQLite, then downloaded
 * whole, then one seek (a 1 MiB Range from the middle). Reports throughput of each and the server's
 * resident memory (sampled during each step; the kernel's peak VmHWM at the end). The file is
 * generated on the fly (never held in memory on either side) and checked by sha-256 both ways.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { cli, machine, memoryMiB, signIn, startServer, TMP, writeResult } from './_lib.js';

const args = process.argv.slice(2);
const MIB = Number(args[args.indexOf('--mib') + 1]) || 1024;
const SIZE = MIB * 1024 * 1024;
const CHUNK = 1024 * 1024;
const PASSWORD = 'Bench@2026xl';

/** ISO-BMFF header so the content is recognised as MP4, then a deterministic pattern. */
function chunkAt(offset: number): Buffer {
  const n = Math.min(CHUNK, SIZE - offset);
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i += 4) b.writeUInt32LE(((offset + i) * 2654435761) >>> 0, i);
  if (offset === 0) {
    const ftyp = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom'), Buffer.from([0, 0, 2, 0]), Buffer.from('isomiso2')]);
    ftyp.copy(b, 0);
    b.writeUInt32BE(SIZE - ftyp.length, ftyp.length);
    b.write('mdat', ftyp.length + 4, 'latin1');
  }
  return b;
}

function sampler(pid: number) {
  let peak = 0;
  const t = setInterval(() => {
    try {
      peak = Math.max(peak, memoryMiB(pid).rssMiB);
    } catch {
      /* exited */
    }
  }, 100);
  return {
    stop: () => {
      clearInterval(t);
      return peak;
    },
  };
}

async function main() {
  const dataDir = path.join(TMP, 'upload');
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.mkdirSync(dataDir, { recursive: true });
  const env = { DATA_DIR: dataDir, DEMO_PASSWORD: PASSWORD, DATABASE_URL: '', SEED_ON_START: '0' };
  // the demo region is seeded by the CLI, so the server's memory is that of serving, not of seeding
  cli(['seed'], env);
  const server = await startServer(env, path.join(TMP, 'upload.log'));
  const pid = server.child.pid!;
  try {
    const cookie = await signIn(server.url, 'teacher', PASSWORD);
    const csrf = /xl_csrf=([^;]+)/.exec(cookie)?.[1] ?? '';
    const headers = { cookie, 'x-csrf-token': csrf };
    const created = await fetch(`${server.url}/api/resources`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({
        kind: 'lesson_video',
        title: '基准测试：1 GiB 课堂实录',
        subject: 'math',
        stage: 'junior',
        grade: 'g8',
        licence: 'cc_by',
        visibility: 'school',
      }),
    });
    if (created.status !== 201) throw new Error(`create failed: ${created.status} ${await created.text()}`);
    const id = ((await created.json()) as { id: string }).id;
    const idle = memoryMiB(pid);

    // ---- upload ----
    const boundary = `----xlbench${crypto.randomBytes(8).toString('hex')}`;
    const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="课堂实录.mp4"\r\nContent-Type: video/mp4\r\n\r\n`);
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const sent = crypto.createHash('sha256');
    const up = sampler(pid);
    const upStarted = performance.now();
    const uploadRes = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const u = new URL(`${server.url}/api/resources/${id}/files`);
      const req = http.request(
        {
          hostname: u.hostname,
          port: u.port,
          path: u.pathname,
          method: 'POST',
          headers: { ...headers, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(head.length + SIZE + tail.length) },
        },
        (res) => {
          let body = '';
          res.on('data', (d) => (body += d));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      let offset = 0;
      const pump = () => {
        while (offset < SIZE) {
          const c = chunkAt(offset);
          sent.update(c);
          offset += c.length;
          if (!req.write(c)) return void req.once('drain', pump);
        }
        req.end(tail);
      };
      req.write(head);
      pump();
    });
    const uploadMs = performance.now() - upStarted;
    const uploadPeak = up.stop();
    if (uploadRes.status !== 201) throw new Error(`upload failed: ${uploadRes.status} ${uploadRes.body.slice(0, 300)}`);
    const detail = JSON.parse(uploadRes.body) as { files: { id: string; sha256: string; size: number }[] };
    const file = detail.files[0]!;
    const sentHash = sent.digest('hex');
    if (file.sha256 !== sentHash || file.size !== SIZE) throw new Error('stored file differs from the upload');

    // ---- download ----
    const got = crypto.createHash('sha256');
    const down = sampler(pid);
    const downStarted = performance.now();
    let received = 0;
    await new Promise<void>((resolve, reject) => {
      http
        .get(`${server.url}/api/resources/${id}/files/${file.id}/download`, { headers }, (res) => {
          if (res.statusCode !== 200) return reject(new Error(`download ${res.statusCode}`));
          res.on('data', (d: Buffer) => {
            received += d.length;
            got.update(d);
          });
          res.on('end', () => resolve());
          res.on('error', reject);
        })
        .on('error', reject);
    });
    const downloadMs = performance.now() - downStarted;
    const downloadPeak = down.stop();
    if (received !== SIZE || got.digest('hex') !== sentHash) throw new Error('download differs from the upload');

    // ---- seek ----
    const mid = Math.floor(SIZE / 2);
    const seekStarted = performance.now();
    const ranged = await fetch(`${server.url}/api/resources/${id}/files/${file.id}/preview`, {
      headers: { ...headers, range: `bytes=${mid}-${mid + CHUNK - 1}` },
    });
    const part = Buffer.from(await ranged.arrayBuffer());
    const seekMs = performance.now() - seekStarted;
    if (ranged.status !== 206 || part.length !== CHUNK) throw new Error(`range failed: ${ranged.status} ${part.length}`);

    const mem = memoryMiB(pid);
    const mibPerSec = (ms: number) => Math.round((SIZE / 1024 / 1024 / (ms / 1000)) * 10) / 10;
    const result = {
      machine: machine(),
      database: 'sqlite',
      storage: 'local folder',
      fileMiB: MIB,
      upload: { ms: Math.round(uploadMs), mibPerSec: mibPerSec(uploadMs), serverRssPeakSampledMiB: uploadPeak },
      download: { ms: Math.round(downloadMs), mibPerSec: mibPerSec(downloadMs), serverRssPeakSampledMiB: downloadPeak },
      seek: { rangeBytes: CHUNK, ms: Math.round(seekMs), status: ranged.status },
      serverIdleRssMiB: idle.rssMiB,
      /** growth above idle while a whole file streamed through (independent of the file's size when streaming works) */
      serverRssGrowthMiB: Math.max(uploadPeak, downloadPeak) - idle.rssMiB,
      serverPeakRssMiB: mem.peakRssMiB,
      sha256Verified: true,
      target: 'server peak RSS < 200 MiB',
    };
    console.log(JSON.stringify(result, null, 2));
    console.log(`wrote ${writeResult('upload', result)}`);
  } finally {
    await server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
