/** English text of the host console. */
import { gateEn } from './gate.js'
import { pollsAdminEn } from './polls-admin.js'
import type { AuditSentence } from '../../admin/panels/audit-text.js'
import type { PhotosMode } from '../../../server/protocol/index.js'

const minutes = (n: number): string => n === 1 ? '1 minute' : `${n} minutes`
const aiModeNames: Record<string, string> = { mention: 'messages that mention @ai', all: 'every message', approve: 'questions you approve first', off: 'nobody (AI off)' }
const projectorViews: Record<string, string> = { auto: 'automatic', qr: 'the join code', answer: 'the answer' }
const settingNames: Record<string, string> = {
  room_name: 'room name',
  ai_mode: 'who asks the AI',
  dify_api_url: 'Dify API address',
  dify_api_key: 'Dify app key',
  dify_inputs: 'the AI app’s inputs',
  ai_concurrency: 'answers at once',
  ai_max_answer_chars: 'answer limit',
  review_answers: 'read answers first',
  allowed_hosts: 'extra host names',
  pin: 'join PIN',
  'limits.chat_rate': 'messages per participant',
  'limits.ai_rate': 'AI questions per participant',
  'limits.room_ai_rate': 'AI questions for the room',
  'limits.join_rate': 'joins per address'
}

export const adminEn = {
  title: 'Host console',
  loading: 'Opening the console…',
  loadingShort: 'Loading…',
  noToken: 'This console needs its admin link. Open the "Host console" address the host printed when it started (it ends with #token=…).',
  refused: 'The host did not accept this console\'s token. It changes every time the host starts: open the new console address it printed.',
  hostUnreachable: 'Cannot reach the host. Is it still running?',
  retry: 'Try again',

  phase: { connecting: 'Connecting…', open: 'Live', reconnecting: 'Reconnecting…', refused: 'Disconnected' },
  onlineNow: 'online now',
  peak: (n: number) => `peak ${n}`,
  locked: 'Room locked',
  slowMode: (s: number) => `Slow mode ${s} s`,
  anonymousBadge: 'Anonymous',

  signals: {
    heading: 'How the class is doing',
    window: 'in the last 2 minutes',
    lost: (n: number) => n === 1 ? '1 is lost' : `${n} are lost`,
    gotIt: (n: number) => `${n} got it`,
    hands: (n: number) => n === 0 ? 'No hands raised' : n === 1 ? '1 hand raised' : `${n} hands raised`,
    lower: 'Lower',
    lowerName: (name: string) => `Lower ${name}’s hand`,
    clear: 'Lower all',
    since: (minutes: number) => minutes < 1 ? 'just now' : `${minutes} min`
  },

  nav: {
    label: 'Console sections',
    room: 'Room',
    people: 'People',
    invite: 'Join code',
    questions: 'Questions',
    polls: 'Polls',
    controls: 'Room controls',
    ai: 'AI settings',
    stats: 'Live stats',
    audit: 'Activity log'
  },

  invite: {
    heading: 'Get people in',
    intro: 'Students open this address on a phone or laptop on the same Wi-Fi, or scan the code.',
    chooseAddress: 'Address shown in the code',
    recommended: 'recommended',
    kind: { lan: 'Wi-Fi / LAN', loopback: 'this computer only', 'link-local': 'no network (link-local)', virtual: 'virtual adapter' } as Record<string, string>,
    copy: 'Copy link',
    copied: 'Copied',
    copyFailed: 'Select the address and copy it',
    port: 'Port',
    pin: 'PIN',
    noPin: 'No PIN: anyone on the network can join',
    qrLabel: (url: string) => `QR code for ${url}`,
    noAddress: 'No network address found: connect this computer to the Wi-Fi the class uses.',
    showBig: 'Show large code',
    onlyLoopback: 'Only this computer can reach the room right now.',
    otherAddresses: 'Other addresses',
    portFallback: (from: number, port: number) => `Port ${from} was in use on this computer, so the room uses port ${port}. The addresses here already use it.`
  },

  room: {
    heading: 'Live room',
    empty: 'No messages yet. What students write appears here.',
    composerLabel: 'Message the room as Host',
    composerPlaceholder: 'Write to everyone as Host… (@ai asks the AI)',
    send: 'Send',
    sending: 'Sending…',
    hide: 'Hide',
    hideLabel: (name: string) => `Hide this message from ${name}`,
    hidden: 'Hidden from participants',
    show: 'Show',
    showLabel: 'Show this message to participants again',
    reveal: 'Read',
    conceal: 'Collapse',
    stop: 'Stop',
    stopLabel: 'Stop this AI reply',
    rateGood: 'Tell the AI app this answer is good',
    ratePoor: 'Tell the AI app this answer is poor',
    rated: 'Your rating was passed to the AI app.',
    rateTakenBack: 'Your rating was taken back.',
    teach: 'Teach',
    teachLabel: 'Teach the AI app this answer',
    teachTitle: 'Teach the AI app this answer',
    teachHelp: 'Next time someone asks this, the AI app answers with your words, marked “The teacher’s answer”. It needs annotation reply turned on in the Dify app.',
    teachQuestion: 'Question',
    teachAnswer: 'Your answer',
    teachSave: 'Save as the teacher’s answer',
    taught: 'Saved. The AI app will answer this question with your words.',
    feedbackLabel: (helpful: number, confused: number) => `Rated helpful by ${helpful}, still confused: ${confused}`,
    host: 'Host',
    newMessages: (n: number) => n === 1 ? '1 new message' : `${n} new messages`,
    showEarlier: 'Show earlier messages',
    announcement: 'Pinned announcement'
  },

  people: {
    heading: 'People',
    search: 'Search by name',
    scope: { session: 'This session', online: 'Online now' } as Record<string, string>,
    countOf: (shown: number, total: number) => `${shown} of ${total}`,
    none: 'Nobody has joined yet. Share the join code.',
    noMatch: 'Nobody matches this search.',
    online: 'online',
    offline: 'offline',
    messages: (n: number) => n === 1 ? '1 message' : `${n} messages`,
    mutedUntil: (time: string) => `muted until ${time}`,
    banned: 'banned',
    removed: 'removed',
    removedGroup: (n: number) => `Removed this lesson (${n})`,
    mute: 'Mute',
    muteFor: (min: number) => `${min} min`,
    muteMenu: (name: string) => `Mute ${name} for…`,
    unmute: 'Unmute',
    kick: 'Remove',
    ban: 'Ban',
    unban: 'Unban',
    actionsFor: (name: string) => `Actions for ${name}`,
    mutedToast: (name: string, min: number) => `${name} is muted for ${min} min.`,
    unmutedToast: (name: string) => `${name} can write again.`,
    kickedToast: (name: string) => `${name} was removed. They may join again with a new name.`,
    bannedToast: (name: string, others: number) => others === 0
      ? `${name} is banned from this network address.`
      : `${name} is banned from this network address; ${others} other ${others === 1 ? 'identity' : 'identities'} on it ${others === 1 ? 'was' : 'were'} removed too.`,
    unbannedToast: (name: string) => `${name} may join again.`,
    kickTitle: (name: string) => `Remove ${name}?`,
    kickBody: 'Their page closes at once with a message that the host removed them. They can join again as a new participant.',
    banTitle: (name: string) => `Ban ${name}?`,
    banBody: 'Their page closes at once, and so does every other name already joined from the same network address (a second tab, a private window). Nobody can join from the network address they used until you unban it. On a shared computer this also blocks the next person.',
    bans: 'Banned addresses',
    undo: 'Undo'
  },

  controls: {
    heading: 'Room controls',
    roomName: 'Room name',
    roomNameHelp: 'Shown to everyone at the top of the page and on the join screen.',
    rename: 'Rename',
    joinPin: 'Join PIN',
    joinPinHelp: 'People joining must type this PIN. Leave it empty to let anyone on this network join.',
    joinPinInvalid: 'A PIN is 4 to 8 digits.',
    joinPinSet: 'Set PIN',
    joinPinRemove: 'Remove PIN',
    lock: 'Lock the room',
    lockHelp: 'Nobody new can join. People already in stay, and can reconnect.',
    anonymous: 'Anonymous room',
    anonymousHelp: 'Participants and the projector see messages written from now on as “Anonymous”, and no names in People. You still see who wrote each one.',
    slowMode: 'Slow mode',
    slowModeHelp: 'Each participant may post once per this many seconds.',
    off: 'Off',
    seconds: (s: number) => `${s} s`,
    announcement: 'Pinned announcement',
    announcementHelp: 'Shown at the top of everyone\'s page.',
    announcementPlaceholder: 'e.g. Today: chapter 4, questions to @ai',
    pin: 'Pin',
    clear: 'Remove',
    aiMode: 'Who asks the AI',
    aiModeSaved: (mode: string) => `Saved: ${mode}.`,
    aiModes: {
      mention: 'Messages that mention @ai',
      all: 'Every message',
      approve: 'Questions you approve first',
      off: 'Nobody (AI off)'
    } as Record<string, string>,
    photos: 'Photos in questions',
    photoModes: {
      off: 'Off',
      check: 'You see each photo first',
      on: 'On: posted at once'
    } as Record<PhotosMode, string>,
    photosHelp: 'Photos are cleaned on this computer (no location, no camera data) before anyone sees them. With the word list on, photos always wait for you.',
    newSession: 'Start a new lesson',
    newSessionHelp: 'Clears the room for everyone and starts a fresh session. The previous lesson stays stored and can be exported.',
    newSessionTitle: 'Start a new lesson?',
    newSessionBody: 'Everyone\'s message list is cleared now, the names of people who have left become free again, and the AI starts a fresh conversation. People stay connected. The previous lesson is kept on this computer.',
    newSessionConfirm: 'Start the new lesson',
    limits: 'Fair-use limits',
    limitsHelp: 'How often each participant and the whole room may post and ask the AI. Changes apply at once.',
    limitNames: {
      chat_rate: 'Messages per participant',
      ai_rate: 'AI questions per participant',
      room_ai_rate: 'AI questions for the whole room',
      join_rate: 'Joins per network address'
    } as Record<string, string>,
    per: 'per',
    countLabel: (name: string) => `${name}: how many`,
    windowLabel: (name: string) => `${name}: seconds`,
    defaultIs: (count: number, s: number) => `default ${count} per ${s} s`,
    saveLimits: 'Save limits',
    resetDefaults: 'Use defaults',
    saved: 'Saved.',
    lockedBy: (flag: string) => `Set at launch by ${flag}; change it there.`,
    openAtLogin: 'Start hosting when I log in',
    openAtLoginHelp: 'The room opens by itself when this computer starts, with the same settings.'
  },

  ai: {
    heading: 'AI settings',
    url: 'Dify API address',
    urlHelp: 'e.g. https://api.dify.ai/v1 or your own Dify server.',
    key: 'App API key',
    keySet: (last4: string) => `A key is saved (ends in …${last4}).`,
    keyNone: 'No key saved.',
    keyEncrypted: 'Stored encrypted on this computer.',
    keyPlaceholder: 'Paste a new key to replace it',
    clearKey: 'Remove the key',
    concurrency: 'Answers at the same time',
    concurrencyHelp: 'More is faster for a busy class but uses more of the Dify plan at once.',
    maxAnswer: 'Longest answer (characters)',
    maxAnswerHelp: (min: number, max: number) => `An answer that reaches this length is cut there and stopped at Dify. ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')}; applies from the next answer.`,
    save: 'Save',
    saving: 'Saving…',
    saved: 'Saved.',
    test: 'Test connection',
    testing: 'Testing…',
    testOk: 'Connected.',
    testFailed: 'Connection failed',
    notSaved: 'This tested what is typed above. Press Save to use it for the room.',
    appName: 'App',
    appMode: 'Type',
    opening: 'Opening statement',
    suggested: 'Suggested questions',
    noOpening: 'The app has no opening statement.',
    features: 'What the app has on',
    featureOn: 'on',
    featureOff: 'off',
    feature: {
      vision: 'photos reach the model (vision)',
      textToSpeech: 'its own voice for Listen',
      followUps: 'follow-up questions',
      annotationReply: 'taught answers (annotation reply)'
    } as Record<'vision' | 'textToSpeech' | 'followUps' | 'annotationReply', string>,
    visionOff: 'The app has vision off: the AI does not see the photos students send. Turn on image upload in the Dify app, or turn photos off in Room controls.',
    missingInputs: (names: string) => `Still empty but required by the app: ${names}. Every question fails until they are filled.`,
    form: 'The app\'s inputs',
    formHelp: 'This app asks for these values with every question. Fill them in for the class.',
    formNone: 'This app asks for no inputs.',
    formUnknown: 'Run "Test connection" to read the app\'s inputs.',
    required: 'required',
    choose: 'Choose…',
    saveInputs: 'Save inputs',
    review: 'Let me read AI answers before the class sees them',
    reviewHelp: 'Answers wait under Questions until you release or discard them.',
    lockedBy: (flag: string) => `Set at launch by ${flag}; change it there.`,
    maxChars: (n: number) => `at most ${n} characters`
  },

  stats: {
    heading: 'Live stats',
    online: 'Online now',
    peak: 'Peak',
    messages: 'Messages',
    answered: 'AI answered',
    failed: 'AI failed',
    waiting: 'AI waiting',
    tokens: 'Tokens used',
    ttft: 'Time to first word',
    ms: (ms: number) => ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`,
    none: '—',
    chartTitle: 'Online and messages, last minutes',
    chartEmpty: 'The chart fills in as the lesson goes.',
    chartSummary: (online: number, messages: number, minutes: number) =>
      `Over the last ${minutes} min: ${online} online now, ${messages} messages in that time.`,
    minutesAgo: (n: number) => `${n} min ago`,
    now: 'now',
    legendOnline: 'online',
    legendMessages: 'messages per minute'
  },

  audit: {
    heading: 'Activity log',
    intro: 'Every action taken from this console, newest first.',
    none: 'Nothing yet.',
    when: 'When',
    action: 'What happened',
    say: {
      'participant.mute': w => `Muted ${w.who} for ${minutes(w.n('minutes') ?? 0)}`,
      'participant.unmute': w => `Let ${w.who} write again`,
      'participant.kick': w => `Removed ${w.who} from the room`,
      'participant.ban': w => {
        const others = (w.n('removed_count') ?? 1) - 1
        return `Banned ${w.who} from their network address` + (others > 0 ? `, and removed ${others === 1 ? '1 other identity' : `${others} other identities`} on it` : '')
      },
      'participant.unban': w => `Lifted the ban on ${w.who}`,
      'participant.erase': w => `Erased ${w.who}’s messages (${w.n('messages') ?? 0})`,
      'ban.remove': w => `Lifted the ban on ${w.s('username') ?? 'a participant'}’s network address`,
      'message.post': w => w.b('asks_ai') ? 'Wrote to the room as Host and asked the AI' : 'Wrote to the room as Host',
      'message.hide': w => w.s('role') === 'assistant' ? 'Hid an AI answer from participants' : `Hid a message by ${w.who} from participants`,
      'message.unhide': w => w.s('role') === 'assistant' ? 'Showed an AI answer again' : `Showed a message by ${w.who} again`,
      'reply.stop': () => 'Stopped an AI answer',
      'reply.rate': w => w.s('rating') === 'like' ? 'Rated an AI answer good' : w.s('rating') === 'dislike' ? 'Rated an AI answer poor' : 'Took back a rating of an AI answer',
      'reply.teach': w => `Taught the AI app an answer to “${w.s('question') ?? ''}”`,
      'room.update': w => {
        const parts: string[] = []
        if (w.has('locked')) parts.push(w.b('locked') ? 'Locked the room to new joins' : 'Opened the room to new joins')
        if (w.has('anonymous')) parts.push(w.b('anonymous') ? 'Hid names from the room (anonymous)' : 'Showed names in the room again')
        const slow = w.n('slow_mode_s')
        if (slow !== null) parts.push(slow > 0 ? `Set slow mode: one message every ${slow} s per person` : 'Turned slow mode off')
        const text = w.s('announcement')
        if (text !== null) parts.push(text === '' ? 'Removed the announcement' : `Pinned the announcement “${text}”`)
        return parts.join('; ')
      },
      'room.ai_mode': w => `Set who asks the AI: ${aiModeNames[w.s('ai_mode') ?? ''] ?? w.s('ai_mode') ?? ''}`,
      'session.start': () => 'Started a new lesson',
      'settings.update': w => `Saved the settings: ${w.list('changed').map(k => settingNames[k] ?? k).join(', ')}`,
      'ai.test': w => w.b('ok') ? 'Tested the AI connection: it answered' : `Tested the AI connection: it failed (${w.s('code') ?? 'unknown'})`,
      'ai.conversation_reset': () => 'Started a fresh AI conversation',
      'question.approve': w => `Sent ${w.who}’s question to the AI` + (w.b('edited') ? ', edited' : ''),
      'question.reject': w => `Declined ${w.who}’s question` + (w.s('reason') !== null ? `: “${w.s('reason') ?? ''}”` : ''),
      'question.merge': w => `Merged ${w.who}’s question into question #${w.n('into') ?? '?'}`,
      'answer.release': w => w.b('edited') ? 'Showed an AI answer to the class, with your edit' : 'Showed an AI answer to the class',
      'answer.discard': w => 'Discarded an AI answer' + (w.s('note') !== null ? ` with the note “${w.s('note') ?? ''}”` : ''),
      'held.release': w => `Let ${w.who}’s held message through (it had “${w.s('matched') ?? ''}”)`,
      'held.discard': w => `Discarded ${w.who}’s held message (it had “${w.s('matched') ?? ''}”)`,
      'projector.update': w => `Set the projector to ${projectorViews[w.s('view') ?? ''] ?? w.s('view') ?? ''}` + (w.b('hide_names') ? ', names hidden' : ''),
      'retention.update': w => {
        const days = w.n('days')
        const deleted = w.n('deleted_sessions') ?? 0
        return (days === null ? 'Keep lessons until you delete them' : `Keep lessons for ${days === 1 ? '1 day' : `${days} days`}`) + (deleted > 0 ? ` (${deleted === 1 ? '1 older lesson' : `${deleted} older lessons`} deleted)` : '')
      },
      'word_filter.update': w => w.b('enabled')
        ? `Turned the word list on: ${w.n('words') ?? 0} words, ${w.s('action') === 'refuse' ? 'refused' : 'held for you'}`
        : 'Turned the word list off',
      'lesson.summarise': () => 'Summarised the lesson with the AI',
      'poll.create': w => `Opened the poll “${w.s('question') ?? ''}”`,
      'poll.show_results': w => w.b('show_results') ? `Showed the results of “${w.s('question') ?? ''}” to the class` : `Hid the results of “${w.s('question') ?? ''}” from the class`,
      'poll.close': w => `Closed the poll “${w.s('question') ?? ''}” (${w.n('total') ?? 0} answered)`,
      'hands.clear': w => `Lowered ${w.n('count') ?? 0} raised hands`,
      'poll.group': w => `Had the AI group the answers to “${w.s('question') ?? ''}” (${w.n('groups') ?? 0} themes)`,
      'poll.draft': w => `Had the AI draft ${w.n('count') ?? 0} quiz questions`,
      'poll.explain': w => `Asked the AI to explain the result of “${w.s('question') ?? ''}”`
    } as Record<string, AuditSentence>
  },

  questions: {
    heading: 'Questions',
    pending: 'The question queue appears here.'
  },

  dialog: { cancel: 'Cancel', confirm: 'Confirm', close: 'Close' },
  errorPrefix: 'Could not do that:',
  gate: gateEn,
  polls: pollsAdminEn
}

export type AdminMessages = typeof adminEn
