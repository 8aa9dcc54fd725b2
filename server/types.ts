/** Fastify decorations shared by plugins and routes. */
import type { Config } from './config.js'
import type { ParticipantRecord, Ports } from './ports.js'
import type { Hub } from './room/hub.js'
import type { Room } from './room/room.js'
import type { Participants } from './room/participants.js'
import type { AiOrchestrator } from './room/ai-orchestrator.js'
import type { Limits } from './limits/index.js'
import type { Gate } from './room/gate-service.js'

export interface RoomServices {
  config: Config
  ports: Ports
  hub: Hub
  room: Room
  participants: Participants
  ai: AiOrchestrator
  limits: Limits
  /** the teacher's gate (approve mode) */
  gate: Gate
}

declare module 'fastify' {
  interface FastifyInstance {
    services: RoomServices
  }
  interface FastifyRequest {
    participant: ParticipantRecord | null
  }
}
