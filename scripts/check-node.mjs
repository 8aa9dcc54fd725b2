#!/usr/bin/env node
// Fails early, with a clear message, on a Node.js older than the host supports (its SQLite driver
// crashes on Node 20). Plain JavaScript so that it runs on any Node.
const [major, minor] = process.versions.node.split('.').map(Number)
if (major < 22 || (major === 22 && minor < 19)) {
  console.error(`MindWeb Host needs Node.js 22.19 or newer (24 LTS recommended); this is ${process.version}.
Install Node 24 (https://nodejs.org, or \`nvm install 24\`), or use a local copy without changing
the system: npm install --prefix .tools node@24 && export PATH="$PWD/.tools/node_modules/.bin:$PATH"`)
  process.exit(1)
}
