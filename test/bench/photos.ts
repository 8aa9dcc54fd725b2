/**
 * `npm run bench -- --case photos [--participants 30] [--within 10] [--runs K]`: a class sending
 * photos at once (issue 20). N phones (default 30) each upload one 12-megapixel phone JPEG of about
 * 4 MB (EXIF orientation 6, GPS; `BENCH_PHOTO=<file>` sends that file instead), spread evenly over
 * the window (default 10 s), and post it in a message as soon as the upload returns. Every phone's
 * socket takes each photo message and fetches its thumbnail, as a phone's page does. Reports the
 * upload times (the re-encoding is inside them), the time until every thumbnail is on every screen
 * (from the first upload), the host's CPU, its memory peak and its event-loop delay. Everything goes
 * to the host on 127.0.0.1; every wait has a deadline, and the host is stopped at the end.
 */
import { readFileSync } from 'node:fs'
import { availableParallelism, cpus } from 'node:os'
import WebSocket from 'ws'
import sharp from 'sharp'
import { startBenchDify } from './bench-dify.js'
import { ADMIN_TOKEN, metricValue, startHost } from './host-proc.js'
import { machineBusyMs, selfCpuMs, waitForQuietMachine } from './machine.js'
import { Histogram } from './stats.js'

export interface PhotosOptions {
  root: string
  phones: number
  /** the uploads start evenly over this window */
  spreadMs: number
  /** the whole case (uploads, messages, thumbnails) gives up after this long */
  timeoutMs: number
  quietWaitMs: number
  photo: Buffer
}

export interface PhotosResult {
  case: 'photos'
  cores: number
  phones: number
  spreadS: number
  photoMb: number
  photoSize: string
  uploadsOk: number
  /** upload start → 201 (the body sent, re-encoded, stored) */
  uploadMs: ReturnType<Histogram['summary']>
  /** upload start → this thumbnail fetched by that screen, over every photo and screen */
  thumbOnScreenMs: ReturnType<Histogram['summary']>
  thumbsSeen: number
  thumbsExpected: number
  /** the first upload's start → the last thumbnail on the last screen */
  allOnEveryScreenS: number
  /** the last upload's start → the last thumbnail on the last screen */
  afterLastUploadS: number
  hostCpuPct: number
  hostCpuS: number
  hostRssBeforeMb: number
  hostRssPeakMb: number
  otherCpuPct: number
  eventLoopP99Ms: number
  eventLoopMaxMs: number
  loadAvg: number
  pass: boolean
  notes: string[]
}

interface PhotoMessage { files?: Array<{ file_id: string, thumb_url: string }>, type: string }

async function sleep (ms: number): Promise<void> { await new Promise(resolve => setTimeout(resolve, ms)) }

/** A phone's 12-megapixel JPEG: a colour field with sensor-like noise, about 4.4 MB at quality 90, turned by EXIF, with GPS. */
export async function phonePhoto (): Promise<Buffer> {
  const width = 4032
  const height = 3024
  const raw = Buffer.alloc(width * height * 3)
  let seed = 1
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0; x < width; x++, i += 3) {
      seed = (seed * 1103515245 + 12345) >>> 0
      const noise = (seed >>> 24) % 20
      raw[i] = (x * 255 / width + noise) & 255
      raw[i + 1] = (y * 255 / height + noise) & 255
      raw[i + 2] = ((x + y) % 256 + noise) & 255
    }
  }
  return await sharp(raw, { raw: { width, height, channels: 3 } }).jpeg({ quality: 90 })
    .withExif({ IFD0: { Make: 'PhoneCo', Model: 'P1' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 1234/100' } })
    .withMetadata({ orientation: 6 })
    .toBuffer()
}

export async function runPhotos (o: PhotosOptions): Promise<PhotosResult> {
  const notes: string[] = []
  const n = o.phones
  const dify = await startBenchDify({ tokens: 1, intervalMs: 10, tokenBytes: 0 })
  const host = await startHost({ root: o.root, difyUrl: dify.url, aiConcurrency: 10 })
  const base = `http://127.0.0.1:${host.port}`
  const sockets: WebSocket[] = []
  let peakRss = host.rss()
  const sampler = setInterval(() => { peakRss = Math.max(peakRss, host.rss()) }, 50)
  const deadline = AbortSignal.timeout(o.timeoutMs)
  try {
    const room = await fetch(`${base}/api/admin/room`, { method: 'PUT', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ photos: 'on' }), signal: deadline })
    if (!room.ok) throw new Error(`photos on: HTTP ${room.status}`)
    const phones = await Promise.all(Array.from({ length: n }, async (_, i) => {
      const res = await fetch(`${base}/api/users/join`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: `phone ${i}` }), signal: deadline })
      if (!res.ok) throw new Error(`join ${i}: HTTP ${res.status}`)
      return (await res.json() as { token: string }).token
    }))

    // Each screen: the photo messages it gets, and when each thumbnail was fetched.
    const onScreen: Array<Map<string, number>> = phones.map(() => new Map())
    const uploadStart = new Map<string, number>()
    const fetches: Array<Promise<void>> = []
    await Promise.all(phones.map(async (token, screen) => {
      const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api/broadcast/ws?token=${token}`)
      sockets.push(ws)
      ws.on('message', (data: Buffer) => {
        if (data.indexOf('"user_message"') < 0) return
        const frame = JSON.parse(data.toString('utf8')) as PhotoMessage
        for (const file of frame.files ?? []) {
          fetches.push(fetch(base + file.thumb_url, { signal: deadline }).then(async res => {
            await res.arrayBuffer()
            if (res.ok) onScreen[screen]!.set(file.file_id, performance.now())
          }).catch(() => { notes.push(`screen ${screen}: thumbnail ${file.file_id} failed`) }))
        }
      })
      await new Promise<void>((resolve, reject) => { ws.once('open', () => resolve()); ws.once('error', reject) })
    }))
    await sleep(1000)

    if (!await waitForQuietMachine(o.quietWaitMs)) notes.push('the machine stayed busy with other work; started anyway')
    await host.metrics() // resets the event-loop delay window
    const cpu0 = host.cpuMs()
    const machine0 = machineBusyMs()
    const self0 = selfCpuMs()
    const rssBefore = host.rss()
    peakRss = rssBefore
    const t0 = performance.now()
    const uploads = new Histogram()
    let uploadsOk = 0
    await Promise.all(phones.map(async (token, i) => {
      await sleep(i * o.spreadMs / n)
      const started = performance.now()
      const form = new FormData()
      form.set('file', new Blob([new Uint8Array(o.photo)], { type: 'image/jpeg' }), `IMG_${1000 + i}.JPG`)
      const res = await fetch(`${base}/api/files`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form, signal: deadline }).catch((e: unknown) => e as Error)
      if (res instanceof Error || res.status !== 201) {
        notes.push(`phone ${i}: upload ${res instanceof Error ? res.message : `HTTP ${res.status} ${(await res.text()).slice(0, 200)}`}`)
        return
      }
      const { file_id: id } = await res.json() as { file_id: string }
      uploads.add(performance.now() - started)
      uploadsOk++
      uploadStart.set(id, started)
      sockets[i]!.send(JSON.stringify({ type: 'chat', content: `photo from phone ${i}`, files: [id] }))
    }))
    const lastUploadStart = t0 + (n - 1) * o.spreadMs / n
    const expected = uploadsOk * n
    const seen = (): number => onScreen.reduce((s, m) => s + m.size, 0)
    while (seen() < expected && !deadline.aborted) await sleep(20)
    await Promise.allSettled(fetches)
    const cpuMs = host.cpuMs() - cpu0
    const windowMs = performance.now() - t0
    const otherMs = (machineBusyMs() - machine0) - cpuMs - (selfCpuMs() - self0)
    const metrics = await host.metrics()
    if (seen() < expected) notes.push(`${expected - seen()} of ${expected} thumbnails never reached their screen within ${o.timeoutMs / 1000} s`)

    const thumbs = new Histogram()
    let last = t0
    for (const screen of onScreen) {
      for (const [id, at] of screen) {
        thumbs.add(at - uploadStart.get(id)!)
        last = Math.max(last, at)
      }
    }
    const meta = await sharp(o.photo).metadata()
    const complete = uploadsOk === n && seen() === expected
    return {
      case: 'photos',
      cores: availableParallelism(),
      phones: n,
      spreadS: o.spreadMs / 1000,
      photoMb: Math.round(o.photo.length / 1024 / 102.4) / 10,
      photoSize: `${meta.width}×${meta.height}`,
      uploadsOk,
      uploadMs: uploads.summary(),
      thumbOnScreenMs: thumbs.summary(),
      thumbsSeen: seen(),
      thumbsExpected: n * n,
      allOnEveryScreenS: Math.round((last - t0) / 100) / 10,
      afterLastUploadS: Math.round((last - lastUploadStart) / 100) / 10,
      hostCpuPct: Math.round(cpuMs / windowMs * 100),
      hostCpuS: Math.round(cpuMs / 100) / 10,
      hostRssBeforeMb: Math.round(rssBefore / 1024 / 1024),
      hostRssPeakMb: Math.round(peakRss / 1024 / 1024),
      otherCpuPct: Math.max(0, Math.round(otherMs / windowMs * 100)),
      eventLoopP99Ms: Math.round(metricValue(metrics, 'mindweb_event_loop_delay_seconds{quantile="0.99"}') * 10_000) / 10,
      eventLoopMaxMs: Math.round(metricValue(metrics, 'mindweb_event_loop_delay_seconds{quantile="1"}') * 10_000) / 10,
      loadAvg: Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]),
      pass: complete,
      notes: [...new Set(notes)]
    }
  } finally {
    clearInterval(sampler)
    for (const ws of sockets) ws.terminate()
    await host.stop()
    await dify.close()
  }
}

export function photosLine (r: PhotosResult): string {
  return `photos: ${r.uploadsOk}/${r.phones} phones sent a ${r.photoMb} MB ${r.photoSize} photo within ${r.spreadS} s; ` +
    `every thumbnail on every screen ${r.allOnEveryScreenS} s after the first upload (${r.afterLastUploadS} s after the last began), ` +
    `${r.thumbsSeen}/${r.thumbsExpected} thumbnails; upload p50 ${r.uploadMs.p50} ms, max ${r.uploadMs.max} ms; ` +
    `host CPU ${r.hostCpuPct}% of a core (${r.hostCpuS} s), RSS ${r.hostRssBeforeMb} → peak ${r.hostRssPeakMb} MB, ` +
    `event loop p99 ${r.eventLoopP99Ms} ms, max ${r.eventLoopMaxMs} ms; others used ${r.otherCpuPct}% of a core` +
    `${r.notes.length > 0 ? `; notes: ${r.notes.join('; ')}` : ''}`
}

/** The case's command line, from run.ts's parsed options (`--participants`, `--within`, `--runs`, `--timeout`, `--quiet-wait`). */
export async function photosMain (root: string, values: { participants?: string, within?: string, runs?: string, timeout?: string, 'quiet-wait'?: string }): Promise<void> {
  const num = (v: string | undefined, d: number): number => v === undefined ? d : Number(v)
  process.stderr.write(`bench: ${availableParallelism()} cores (${cpus()[0]?.model ?? '?'}), node ${process.version}\n`)
  const photo = process.env.BENCH_PHOTO !== undefined && process.env.BENCH_PHOTO !== '' ? readFileSync(process.env.BENCH_PHOTO) : await phonePhoto()
  let passed = 0
  const runs = num(values.runs, 1)
  for (let k = 0; k < runs; k++) {
    const r = await runPhotos({ root, phones: num(values.participants, 30), spreadMs: num(values.within, 10) * 1000, timeoutMs: num(values.timeout, 180) * 1000, quietWaitMs: num(values['quiet-wait'], 30) * 1000, photo })
    process.stdout.write(JSON.stringify(r) + '\n' + photosLine(r) + '\n')
    if (r.pass) passed++
  }
  process.exitCode = passed === runs ? 0 : 1
}
