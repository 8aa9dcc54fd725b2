/** Fastify decorations shared by plugins and routes. */
import type { Config } from './config.js'
import type { ChatStore, ParticipantRecord } from './ports.js'
import type { Hub } from './room/engine/hub.js'
import type { Room } from './room/room.js'
import type { Participants } from './room/participants.js'
import type { AiOrchestrator } from './room/ai/ai-orchestrator.js'
import type { Feedback } from './room/ai/feedback.js'
import type { Limits } from './limits/index.js'
import type { ConsoleFeed } from './room/console-feed.js'
import type { Moderation } from './room/safety/moderation.js'
import type { LiveSettings } from './settings/live-settings.js'
import type { HostNames } from './plugins/host-check.js'
import type { Gate } from './room/gate/gate-service.js'
import type { HeldMessages } from './room/safety/held-messages.js'
import type { Privacy } from './room/safety/privacy.js'
import type { LessonSummary } from './room/ai/lesson-summary.js'
import type { Polls } from './room/polls/poll-service.js'
import type { QuizDrafts } from './room/polls/quiz-draft.js'
import type { Teaching } from './room/ai/teach.js'
import type { ReadAloud } from './room/ai/read-aloud.js'
import type { Signals } from './room/signals/signals.js'
import type { Reactions } from './room/signals/reactions.js'
import type { Registry } from 'prom-client'
import type { Photos } from './room/media/photos.js'

/**
 * The room's services, as routes and sockets reach them (registered in server/app.ts, each with
 * the services it needs). Routes never reach the adapters (`Ports`) behind them.
 */
export interface RoomServices {
  config: Config
  /** the chat store, with the metrics wrapper */
  store: ChatStore
  hub: Hub
  room: Room
  participants: Participants
  ai: AiOrchestrator
  limits: Limits
  /** the host console: audit trail, participant rows and live stats for admin sockets */
  feed: ConsoleFeed
  /** lock, slow mode, announcement, mute/kick/ban, hide, sessions */
  moderation: Moderation
  /** settings changed live from the console */
  settings: LiveSettings
  /** the names this computer answers to (Host and Origin checks) */
  hostNames: HostNames
  /** the teacher's gate (approve mode) */
  gate: Gate
  /** the host's word list and the messages it held */
  heldMessages: HeldMessages
  /** participants' ratings of answers */
  feedback: Feedback
  /** retention and "erase this participant" */
  privacy: Privacy
  /** the lesson record: sessions and the AI's summary of each */
  summary: LessonSummary
  /** polls: the host asks, participants answer, counts coalesced */
  polls: Polls
  /** the AI drafts quiz questions from the lesson's last minutes */
  quiz: QuizDrafts
  /** "Teach this answer": the host's answer saved as an annotation of the AI app */
  teaching: Teaching
  /** finished answers as audio from the AI app's voice, fetched once and kept */
  readAloud: ReadAloud
  /** "I'm lost", "got it" and raised hands, live for the host */
  signals: Signals
  /** emoji reactions to messages, coalesced to everyone */
  reactions: Reactions
  /** photos: the room's rule, uploads, their files */
  photos: Photos
}

declare module 'fastify' {
  interface FastifyInstance {
    services: RoomServices
    /** the registry behind GET /metrics */
    metricsRegistry: Registry
  }
  interface FastifyRequest {
    participant: ParticipantRecord | null
  }
}
