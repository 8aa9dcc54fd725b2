import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { NetworkInterfaceInfo } from 'node:os'
import { startHost } from '../helpers/host.js'
import { classify, joinAddresses, parseProcNetRoute, parseRouteGetDefault, type NetworkReaders } from '../../server/network/addresses.js'

function v4 (address: string, internal = false): NetworkInterfaceInfo {
  return { address, netmask: '255.255.255.0', family: 'IPv4', mac: '00:00:00:00:00:00', internal, cidr: `${address}/24` }
}

function readers (interfaces: Record<string, NetworkInterfaceInfo[]>, defaultInterface: string | null): NetworkReaders {
  return { interfaces: () => interfaces, defaultInterface: async () => defaultInterface }
}

const LAPTOP = {
  lo: [v4('127.0.0.1', true)],
  docker0: [v4('172.17.0.1')],
  eth0: [v4('10.20.0.15')],
  'br-5f2a': [v4('172.18.0.1')],
  wlan0: [v4('192.168.1.20'), { address: 'fe80::1', netmask: 'ffff:ffff:ffff:ffff::', family: 'IPv6', mac: '00:00:00:00:00:00', internal: false, cidr: 'fe80::1/64', scopeid: 3 } satisfies NetworkInterfaceInfo],
  eth1: [v4('169.254.10.2')],
  tailscale0: [v4('100.101.102.103')]
}

test('join addresses: the default route first, then other LAN, virtual adapters, link-local, loopback last', async () => {
  const { addresses, diagnostics } = await joinAddresses({ port: 8000, bindHost: '0.0.0.0', pin: null, readers: readers(LAPTOP, 'wlan0') })
  assert.deepEqual(addresses.map(a => [a.interface, a.address, a.kind, a.is_default]), [
    ['wlan0', '192.168.1.20', 'lan', true],
    ['eth0', '10.20.0.15', 'lan', false],
    ['docker0', '172.17.0.1', 'virtual', false],
    ['br-5f2a', '172.18.0.1', 'virtual', false],
    ['tailscale0', '100.101.102.103', 'virtual', false],
    ['eth1', '169.254.10.2', 'link-local', false],
    ['lo', '127.0.0.1', 'loopback', false]
  ])
  assert.equal(addresses[0]!.url, 'http://192.168.1.20:8000/')
  assert.deepEqual(diagnostics, [])
})

test('without a known default route the interface order decides; problems are explained', async () => {
  const several = await joinAddresses({ port: 80, bindHost: '0.0.0.0', pin: '4321', readers: readers(LAPTOP, null) })
  assert.deepEqual(several.addresses.slice(0, 2).map(a => a.interface), ['eth0', 'wlan0'])
  assert.deepEqual(several.diagnostics.map(d => d.code), ['SEVERAL_NETWORKS', 'PIN_REQUIRED'])
  const offline = await joinAddresses({ port: 80, bindHost: '0.0.0.0', pin: null, readers: readers({ lo: [v4('127.0.0.1', true)], en0: [v4('169.254.3.4')] }, null) })
  assert.deepEqual(offline.diagnostics.map(d => [d.level, d.code]), [['warn', 'NO_LAN_ADDRESS'], ['warn', 'LINK_LOCAL_ONLY']])
  const local = await joinAddresses({ port: 80, bindHost: '127.0.0.1', pin: null, readers: readers(LAPTOP, 'wlan0') })
  assert.deepEqual(local.addresses.map(a => a.address), ['127.0.0.1'])
  assert.equal(local.diagnostics[0]!.code, 'LOOPBACK_ONLY')
  assert.match(local.diagnostics[0]!.message, /--host 0\.0\.0\.0/)
})

test('the default route is read from Linux /proc/net/route and macOS route output; adapters are classified by name', () => {
  const route = [
    'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT',
    'docker0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0',
    'wlan0\t00000000\t0101A8C0\t0003\t0\t0\t600\t00000000\t0\t0\t0',
    'eth0\t00000000\t010014AC\t0003\t0\t0\t100\t00000000\t0\t0\t0',
    ''
  ].join('\n')
  assert.equal(parseProcNetRoute(route), 'eth0')
  assert.equal(parseProcNetRoute('Iface\tDestination\n'), null)
  assert.equal(parseRouteGetDefault('   route to: default\ndestination: default\n    gateway: 192.168.1.1\n  interface: en0\n'), 'en0')
  assert.equal(parseRouteGetDefault('route: writing to routing socket: not in table'), null)
  assert.equal(classify('vEthernet (WSL)', v4('172.30.0.1')), 'virtual')
  assert.equal(classify('VMware Network Adapter VMnet8', v4('192.168.80.1')), 'virtual')
  assert.equal(classify('utun3', v4('10.8.0.2')), 'virtual')
  assert.equal(classify('Wi-Fi', v4('192.168.0.9')), 'lan')
  assert.equal(classify('en0', v4('169.254.1.1')), 'link-local')
})

test('GET /api/admin/network answers the listening port, the PIN and the addresses', async (t) => {
  const host = await startHost(t, { config: { pin: '2468' } })
  const res = await host.api('GET', '/api/admin/network', { token: host.config.adminToken })
  assert.equal(res.status, 200)
  assert.equal(res.body.port, Number(new URL(host.url).port))
  assert.equal(res.body.pin, '2468')
  // the test host listens on 127.0.0.1 only: one loopback address, and a warning that says why others cannot join
  assert.deepEqual(res.body.addresses.map((a: any) => [a.address, a.kind]), [['127.0.0.1', 'loopback']])
  assert.equal(res.body.diagnostics[0].code, 'LOOPBACK_ONLY')
})
