/**
 * The projector's words. It renders without the page's React context, so it takes its catalogue
 * by locale, picked by the same rule as the page and the console (`pickMessages`).
 */
export interface ProjectorText {
  scanToJoin: string
  orOpen: string
  joinAt: string
  waitingQuestions: (n: number) => string
  online: (n: number) => string
  noAnswerYet: string
  asked: (name: string) => string
  aQuestion: string
  editedByHost: string
  writing: string
  checking: string
  answerEdited: string
  stopped: string
  cut: (n: number) => string
  failed: string
  hidden: string
  keys: string
  needsToken: string
  refused: string
  reconnecting: string
  allowSound: string
  poll: string
  pollClosed: string
  answered: (n: number) => string
  votes: (n: number) => string
  answerOnPhones: string
  resultsSoon: string
  misconception: string
  correct: string
}

const projectorEn: ProjectorText = {
  scanToJoin: 'Scan to join',
  orOpen: 'or open',
  joinAt: 'Join at',
  waitingQuestions: n => n === 1 ? '1 question waiting' : `${n} questions waiting`,
  online: n => n === 1 ? '1 person here' : `${n} people here`,
  noAnswerYet: 'Answers appear here as soon as the host sends a question to the AI.',
  asked: name => `${name} asked`,
  aQuestion: 'A question',
  editedByHost: 'edited by the host',
  writing: 'The AI is writing…',
  checking: 'The host is checking the answer…',
  answerEdited: 'answer edited by the host',
  stopped: 'The answer was stopped.',
  cut: n => `The answer was cut at ${n.toLocaleString('en-US')} characters.`,
  failed: 'The AI could not answer.',
  hidden: 'The host has hidden this answer.',
  keys: 'F full screen · Q join code · ↑↓ scroll the answer',
  needsToken: 'Open the projector from the host console (it adds the key to the link).',
  refused: 'The host no longer accepts this link. Open the projector again from the console.',
  reconnecting: 'Reconnecting…',
  allowSound: 'Click to let the projector read answers aloud',
  poll: 'Poll',
  pollClosed: 'Poll closed',
  answered: n => n === 1 ? '1 answer' : `${n} answers`,
  votes: n => n === 1 ? '1 vote' : `${n} votes`,
  answerOnPhones: 'Answer on your phone',
  resultsSoon: 'The results will show here when the host shares them.',
  misconception: 'a common misconception',
  correct: 'correct'
}

const projectorZhCN: ProjectorText = {
  scanToJoin: '扫码加入',
  orOpen: '或打开',
  joinAt: '加入地址',
  waitingQuestions: n => `${n} 个问题待处理`,
  online: n => `${n} 人在线`,
  noAnswerYet: '主持人把问题发给 AI 后，答案会显示在这里。',
  asked: name => `${name} 提问`,
  aQuestion: '提问',
  editedByHost: '主持人已修改',
  writing: 'AI 正在回答…',
  checking: '主持人正在检查回答…',
  answerEdited: '回答已由主持人修改',
  stopped: '回答已停止。',
  cut: n => `回答过长，已在 ${n.toLocaleString('zh-CN')} 个字符处截断。`,
  failed: 'AI 未能回答。',
  hidden: '主持人已隐藏此回答。',
  keys: 'F 全屏 · Q 加入二维码 · ↑↓ 滚动回答',
  needsToken: '请从主持人控制台打开投影页面（链接中带有密钥）。',
  refused: '主持人已不再接受此链接。请从控制台重新打开投影页面。',
  reconnecting: '正在重新连接…',
  allowSound: '点击以允许投影朗读回答',
  poll: '投票',
  pollClosed: '投票已结束',
  answered: n => `${n} 人作答`,
  votes: n => `${n} 票`,
  answerOnPhones: '请在手机上作答',
  resultsSoon: '主持人公布后，结果会显示在这里。',
  misconception: '常见误解',
  correct: '正确答案'
}

/** The projector's text for a locale the shared catalogue picked (`pickMessages(…).locale`). */
export function projectorText (locale: string): ProjectorText {
  return locale.startsWith('zh') ? projectorZhCN : projectorEn
}
