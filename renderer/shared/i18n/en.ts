/** English UI text: every string the participant page shows lives here. */
import { questionEn } from './question.js'
import { pollEn } from './poll.js'

export const en = {
  locale: 'en',
  appName: 'MindWeb',
  loading: 'Loading the room…',
  roomUnavailable: 'Cannot reach the host. Check that you are on the same Wi-Fi as the host computer.',
  retry: 'Try again',

  join: {
    welcome: 'Welcome to',
    intro: 'Pick a name and an emoji. No account, nothing to install.',
    nameLabel: 'Your name',
    nameHint: 'Shown next to your messages.',
    shuffle: 'Suggest another name',
    emojiLabel: 'Your emoji',
    pinLabel: 'Room PIN',
    pinHint: 'Ask the host for the PIN.',
    submit: 'Join the room',
    submitting: 'Joining…',
    sessionExpired: 'Your session has ended. Join again to continue.',
    removed: 'The host removed you from the room. You can join again as a new participant.',
    renamed: (requested: string, name: string) => `The name "${requested}" is taken in this lesson, so the host calls you "${name}".`,
    nameEmpty: 'Please enter a name.',
    nameTooLong: (max: number) => `Names can be at most ${max} characters.`,
    nameControl: 'Names cannot contain invisible control characters.',
    nameInvisible: 'Names cannot contain invisible characters. Please use letters people can see.',
    nameReserved: (name: string) => `"${name}" is reserved. Please pick another name.`,
    pinInvalid: 'The PIN is 4 to 8 digits.',
    tryAgainIn: (seconds: number) => `Please try again in ${seconds} s.`,
    aiOff: 'The AI assistant is off in this room.',
    aiUnavailable: 'No AI assistant is connected to this room.',
    aiOn: 'An AI assistant answers questions here.'
  },

  /** Join refusals by error code; unknown codes show the host's own message. */
  joinErrors: {
    ERR_USERNAME_RESERVED: 'That name is reserved. Please pick another one.',
    ERR_ROOM_LOCKED: 'The host has locked the room for now. Ask them to open it.',
    ERR_ROOM_FULL: 'The room is full. Ask the host to make space.',
    ERR_PIN_REQUIRED: 'This room needs a PIN. Ask the host for it.',
    ERR_PIN_WRONG: 'That PIN is not right. Check it with the host.',
    ERR_RATE_LIMITED: 'Too many attempts from this device.'
  } as Record<string, string>,

  nameAdjectives: ['Curious', 'Brave', 'Calm', 'Clever', 'Cheerful', 'Gentle', 'Happy', 'Jolly', 'Kind', 'Lucky', 'Merry', 'Nimble', 'Quiet', 'Sunny', 'Swift', 'Witty', 'Bright', 'Cosy', 'Eager', 'Friendly'],
  nameAnimals: {
    fox: 'Fox',
    panda: 'Panda',
    owl: 'Owl',
    koala: 'Koala',
    dolphin: 'Dolphin',
    penguin: 'Penguin',
    hedgehog: 'Hedgehog',
    rabbit: 'Rabbit',
    turtle: 'Turtle',
    tiger: 'Tiger',
    whale: 'Whale',
    bee: 'Bee',
    frog: 'Frog',
    lion: 'Lion',
    unicorn: 'Unicorn',
    octopus: 'Octopus',
    butterfly: 'Butterfly',
    otter: 'Otter',
    chick: 'Chick',
    monkey: 'Monkey'
  },

  room: {
    muted: (at: string, minutes: number) => `The host has muted you. You can write again at ${at} (in ${minutes <= 1 ? 'about a minute' : `${minutes} minutes`}).`,
    online: (n: number) => (n === 1 ? '1 online' : `${n} online`),
    people: 'People',
    closePeople: 'Close the list of people',
    you: 'you',
    offlineSuffix: 'away',
    morePeople: (n: number) => `and ${n} more`,
    leave: 'Leave',
    leaveConfirm: 'Leave the room? You can join again with a new name.',
    messagesLabel: 'Messages',
    showEarlier: 'Show earlier messages',
    loadingEarlier: 'Loading earlier messages…',
    newMessages: (n: number) => (n === 1 ? '1 new message' : `${n} new messages`),
    jumpToLatest: 'Jump to the latest message',
    empty: 'No messages yet. Say hello!',
    messagesKeys: 'Use the up and down arrow keys to move between messages.',
    skipToComposer: 'Skip to the message box (/)',
    announcement: 'Pinned by the host',
    offline: 'Offline',
    dismiss: 'Dismiss',
    anonymousNote: 'Names are hidden: others see your messages as “Anonymous”. The host still sees who wrote them.',
    anonymousPeople: 'Names are hidden in this room.'
  },

  connection: {
    connecting: 'Connecting…',
    connected: 'Connected',
    reconnecting: 'Connection lost. Reconnecting…',
    reconnectingIn: (seconds: number) => `Connection lost. Reconnecting in ${seconds} s…`,
    offline: 'You are offline. Messages will be sent when you are back.',
    reconnectNow: 'Reconnect now',
    backOnline: 'Back online'
  },

  message: {
    pending: 'Sending…',
    notSent: 'Not sent.',
    // one unit: seconds for a short wait, minutes for a long one (a mute)
    waitSeconds: (seconds: number) => seconds >= 90 ? `You can resend in ${Math.ceil(seconds / 60)} min.` : `You can resend in ${seconds} s.`,
    resendNow: 'You can resend it now.',
    hidden: 'The host hid this message.',
    showMore: 'Show more',
    resend: 'Resend',
    discard: 'Discard',
    edited: 'edited',
    asksAi: 'asks the AI',
    awaitingApproval: 'asks the AI: waiting for the host to approve',
    you: 'You',
    ai: 'AI assistant',
    replyTo: (name: string) => `Replying to ${name}`,
    anonymous: 'Anonymous',
    anonymousTag: 'anonymous to the room'
  },

  ai: {
    shownAsText: 'This answer is shown as plain text: its formatting could not be drawn.',
    thinking: 'AI is answering…',
    queued: (n: number) => `Waiting in line: #${n} in the queue`,
    queuedMine: (n: number) => `Your question is #${n} in the queue`,
    stop: 'Stop',
    stopLabel: 'Stop this answer',
    stopped: 'Stopped before the end.',
    teachersAnswer: 'The teacher’s answer',
    cut: (n: number) => `The answer was cut at ${n.toLocaleString('en-US')} characters.`,
    interrupted: 'Interrupted: the host stopped while this answer was streaming.',
    failed: 'The AI could not finish this answer.',
    sources: (n: number) => (n === 1 ? '1 source' : `${n} sources`),
    copy: 'Copy',
    copied: 'Copied',
    copyCode: 'Copy code',
    askAgain: 'Ask again',
    announce: (text: string) => `The AI answered: ${text}`,
    image: 'image'
  },

  composer: {
    placeholder: 'Message the room',
    placeholderAi: 'Ask the AI a question',
    label: 'Message',
    formLabel: 'Write to the room',
    send: 'Send',
    askAi: 'Ask AI',
    askAiLabel: 'Address this message to the AI',
    hintMention: 'Turn on "Ask AI" or type @ai to ask the assistant.',
    hintMentionOn: 'The AI will answer this message for everyone.',
    hintAll: 'Every message is answered by the AI.',
    hintOff: 'The AI is off: messages go to the room only.',
    hintApprove: 'Questions to the AI wait for the host to approve them.',
    hintUnavailable: 'No AI is connected to this room right now.',
    tooLong: (over: number) => `${over} characters too long`,
    keys: 'Enter to send, Shift+Enter for a new line',
    slowMode: (seconds: number) => `Slow mode: one message every ${seconds} s.`
  },

  photo: {
    attach: 'Add a photo',
    remove: 'Remove this photo',
    previews: 'Photos to send',
    uploading: (percent: number) => `Uploading the photo… ${percent}%`,
    failed: (reason: string) => `The photo was not added. ${reason}`,
    tooMany: (max: number) => `At most ${max} photos per message.`,
    checkNote: 'The host sees photos before the room does.',
    open: (name: string) => `Open the photo from ${name}`,
    alt: (name: string) => `Photo from ${name}`,
    viewer: 'Photo',
    close: 'Close',
    count: (n: number) => n === 1 ? '1 photo' : `${n} photos`
  },

  welcome: {
    title: 'Welcome',
    /** Around the room's name: "Welcome to <room>!" */
    titleBefore: 'Welcome to ',
    titleAfter: '!',
    suggestions: 'Try asking',
    followUps: 'Ask next',
    plain: 'Everyone in the room sees what you write here.'
  },

  feedback: {
    label: 'Was this answer helpful?',
    helpful: 'Helpful',
    confused: 'Still confused'
  },

  listen: {
    listen: 'Listen',
    label: 'Read this answer aloud',
    loading: 'Loading…',
    stop: 'Stop reading',
    failed: 'Could not read it aloud.',
    blocked: 'Tap again to allow sound.'
  },

  signals: {
    label: 'Tell the host',
    lost: 'I\'m lost',
    gotIt: 'Got it',
    hand: 'Raise hand',
    handUp: 'Hand raised',
    note: 'The host sees how many said so, not who (a raised hand shows your name).'
  },

  reactions: {
    label: 'Reactions',
    add: 'Add a reaction',
    give: (emoji: string) => `React with ${emoji}`,
    chip: (emoji: string, n: number) => `${emoji} ${n}: press to add or take back yours`
  },

  errors: {
    generic: 'Something went wrong. Please try again.',
    network: 'Cannot reach the host. Check your connection.'
  },

  question: questionEn,
  poll: pollEn
}

/** The shape every language file must provide. */
export type Messages = typeof en
