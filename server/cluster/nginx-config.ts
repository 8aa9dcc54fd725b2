/**
 * Renders deploy/nginx.conf.template: the launcher's nginx on loopback and deploy/nginx.conf for
 * compose.yaml come from the same text, so the shipped config is the one the tests run.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

export interface NginxConfigOptions {
  /** `127.0.0.1:8080` or `8080` */
  listen: string
  /** `host:port` of each edge */
  edges: readonly string[]
  writer: string
  pidFile: string
  errorLog: string
  accessLog: string
  tempDir: string
  /** the project root (where deploy/ lives) */
  root: string
}

/** Sockets one edge may hold through nginx (docs/scale-out.md: one edge process serves 10,000). */
export const EDGE_MAX_CONNS = 12_000

/** The nginx config text. */
export function renderNginxConfig (o: NginxConfigOptions): string {
  const template = readFileSync(join(o.root, 'deploy', 'nginx.conf.template'), 'utf8')
  const servers = o.edges.map(e => `    server ${e} max_fails=2 fail_timeout=5s max_conns=${EDGE_MAX_CONNS};`).join('\n')
  const values: Record<string, string> = {
    LISTEN: o.listen,
    EDGE_SERVERS: servers,
    WRITER: o.writer,
    PID_FILE: o.pidFile,
    ERROR_LOG: o.errorLog,
    ACCESS_LOG: o.accessLog,
    TEMP_DIR: o.tempDir
  }
  return template.replace(/\{\{([A-Z_]+)\}\}/g, (_m, key: string) => {
    const v = values[key]
    if (v === undefined) throw new Error(`deploy/nginx.conf.template names an unknown value {{${key}}}`)
    return v
  })
}

/** What compose.yaml's nginx runs (service names resolve through Docker's DNS; `--scale edge=N` adds addresses). */
export function composeNginxConfig (root: string): string {
  return renderNginxConfig({
    listen: '8080',
    edges: ['edge:8000'],
    writer: 'writer:8000',
    pidFile: '/tmp/nginx.pid',
    errorLog: '/dev/stderr',
    accessLog: 'off',
    tempDir: '/tmp',
    root
  })
}
