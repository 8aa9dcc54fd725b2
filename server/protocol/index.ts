/** The one wire contract shared by the server and the browser clients. */
export * from './messages.js'
export * from './http.js'
export * from './admin.js'
export * from './gate.js'
export * from './names.js'
export * from './polls.js'
export * from './signals.js'
